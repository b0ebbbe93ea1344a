package dev.weft.bench.net;

import dev.weft.net.Broadcast;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Endpoint;
import dev.weft.net.LineReceiver;
import dev.weft.net.Protocol;
import dev.weft.net.Reactor;
import dev.weft.net.ReactorOptions;
import dev.weft.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The servers the network benchmarks compare, each started alone in its own JVM by {@code
 * run-net.sh}: {@code java ... BenchServer KIND PORT [THREADS]} prints {@code ready} and serves until
 * killed. Kinds: {@code weft-echo} (reactor), {@code weft-blocking-echo} (a virtual thread per
 * connection), {@code netty-echo}, {@code weft-pubsub} ({@link Broadcast}), {@code netty-pubsub}
 * ({@code ChannelGroup}, one flush per read batch).
 */
public final class BenchServer {
  private static final byte[] NEWLINE = {'\n'};

  private BenchServer() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int port = Integer.parseInt(args[1]);
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    switch (kind) {
      case "weft-echo" -> weftEcho(port, threads);
      case "weft-blocking-echo" -> weftBlockingEcho(port, threads);
      case "weft-pubsub" -> weftPubSub(port, threads);
      case "netty-echo" -> netty(port, threads, new NettyEcho());
      case "netty-pubsub" -> netty(port, threads, null);
      default -> throw new IllegalArgumentException("unknown server kind: " + kind);
    }
  }

  private static void ready() {
    System.out.println("ready");
    System.out.flush();
  }

  private static void forever() throws InterruptedException {
    new CountDownLatch(1).await();
  }

  private static ConnectionOptions benchOptions() {
    return ConnectionOptions.defaults().withMaxConnections(100_000).withOutboundLimit(64L << 20);
  }

  private static void weftEcho(int port, int loops) throws IOException, InterruptedException {
    try (Reactor reactor = Reactor.start(ReactorOptions.defaults().withLoops(loops))) {
      reactor.listen(Endpoint.tcp(port), peer -> new Protocol() {
        private Transport transport;

        @Override
        public void connectionMade(Transport newTransport) {
          transport = newTransport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
          transport.write(data);
        }
      }, benchOptions());
      ready();
      forever();
    }
  }

  private static void weftBlockingEcho(int port, int loops) throws IOException, InterruptedException {
    try (Reactor reactor = Reactor.start(ReactorOptions.defaults().withLoops(loops))) {
      reactor.listenBlocking(Endpoint.tcp(port), connection -> {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (connection.read(buffer.clear()) >= 0) {
          connection.write(buffer.flip());
        }
      }, benchOptions());
      ready();
      forever();
    }
  }

  private static void weftPubSub(int port, int loops) throws IOException, InterruptedException {
    Broadcast room = Broadcast.create();
    ByteBuffer newline = ByteBuffer.wrap(NEWLINE).asReadOnlyBuffer();
    try (Reactor reactor = Reactor.start(ReactorOptions.defaults().withLoops(loops))) {
      reactor.listen(Endpoint.tcp(port), peer -> new LineReceiver(16384) {
        private final ByteBuffer tag = ByteBuffer.wrap(tag(peer)).asReadOnlyBuffer();

        @Override
        protected void connectionMade() {
          room.subscribe(transport());
        }

        @Override
        protected void lineReceived(ByteBuffer line) {
          room.publish(tag, line, newline);
        }

        @Override
        public void connectionLost(Throwable reason) {
          room.unsubscribe(transport());
        }
      }, benchOptions());
      ready();
      forever();
    }
  }

  static byte[] tag(java.net.InetSocketAddress peer) {
    return ("[" + peer.getAddress().getHostAddress() + ":" + peer.getPort() + "] ").getBytes(StandardCharsets.US_ASCII);
  }

  private static void netty(int port, int threads, ChannelHandler echo) throws InterruptedException {
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    ChannelGroup group = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    try {
      Channel server = new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 4096)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              channel.pipeline().addLast(echo != null ? echo : new NettyPubSub(group));
            }
          })
          .bind("127.0.0.1", port)
          .sync()
          .channel();
      ready();
      server.closeFuture().sync();
    } finally {
      boss.shutdownGracefully();
      workers.shutdownGracefully();
    }
  }

  /** Netty's echo example: write on read, flush when the read batch completes. */
  @ChannelHandler.Sharable
  static final class NettyEcho extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /**
   * Netty's broadcast done well: lines split by hand (no codec jar needed), the tagged lines of one
   * read batch gathered into one buffer, and that buffer written and flushed to the {@link
   * ChannelGroup} once per batch (a retained duplicate per member, no copy) with a void promise.
   * Writing each line to the group as it is split is the textbook version and is far slower: every
   * line becomes a task on each member's loop, and without a void promise a future per member.
   */
  static final class NettyPubSub extends ChannelInboundHandlerAdapter {
    private final ChannelGroup group;
    private ByteBuf partial;
    /** The tagged lines of the current read batch, sent to every member as one buffer. */
    private ByteBuf batch;
    private byte[] tag;

    NettyPubSub(ChannelGroup group) {
      this.group = group;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      tag = tag((java.net.InetSocketAddress) ctx.channel().remoteAddress());
      group.add(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        if (partial != null) {
          partial.writeBytes(in);
          in.release();
          in = partial;
          partial = null;
        }
        while (true) {
          int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
          if (lf < 0) {
            break;
          }
          int length = lf + 1 - in.readerIndex();
          if (batch == null) {
            batch = ctx.alloc().buffer(16 * 1024);
          }
          batch.writeBytes(tag).writeBytes(in, in.readerIndex(), length);
          in.skipBytes(length);
        }
        if (in.isReadable()) {
          partial = ctx.alloc().buffer(in.readableBytes() + 4096).writeBytes(in);
        }
      } finally {
        in.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (batch != null) {
        group.writeAndFlush(batch, ChannelMatchers.all(), true);
        batch = null;
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (partial != null) {
        partial.release();
        partial = null;
      }
      if (batch != null) {
        batch.release();
        batch = null;
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
