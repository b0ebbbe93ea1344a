package dev.weft.bench.http;

import dev.weft.http.AccessLog;
import dev.weft.http.HttpHandler;
import dev.weft.http.HttpOptions;
import dev.weft.http.HttpResponse;
import dev.weft.http.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.FullHttpRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;

/**
 * The HTTP servers {@code run-http.sh} compares, each alone in its own JVM: {@code java ...
 * HttpBenchServer KIND PORT [THREADS]} prints {@code ready} and serves {@code GET /} with the same
 * 12-byte {@code text/plain} body ({@code hello world\n}) and a {@code Date} field until killed.
 * Kinds: {@code weft} ({@link HttpServer} with a {@linkplain HttpHandler#nonBlocking non-blocking}
 * handler, answered on weft-net's event loops), {@code netty} (Netty's
 * HTTP codec on the NIO transport, with an aggregator so a handler sees whole requests, as weft's
 * does, and one flush per read batch so pipelined responses leave together).
 */
public final class HttpBenchServer {
  static final byte[] BODY = "hello world\n".getBytes(StandardCharsets.US_ASCII);

  private HttpBenchServer() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int port = Integer.parseInt(args[1]);
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    switch (kind) {
      case "weft" -> weft(port);
      case "netty" -> netty(port, threads);
      default -> throw new IllegalArgumentException("unknown server kind: " + kind);
    }
  }

  private static void ready() {
    System.out.println("ready");
    System.out.flush();
  }

  private static void weft(int port) throws Exception {
    HttpResponse hello = HttpResponse.bytes(200, "text/plain", BODY);
    var options = HttpOptions.defaults().withMaxConnections(100_000).withAccessLog(AccessLog.OFF);
    try (var server = HttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), HttpHandler.nonBlocking(request -> hello), options)) {
      ready();
      server.awaitTermination();
    }
  }

  private static void netty(int port, int threads) throws InterruptedException {
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    try {
      new ServerBootstrap()
          .group(boss, workers)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 4096)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              channel.pipeline()
                  .addLast(new HttpServerCodec())
                  .addLast(new HttpObjectAggregator(1 << 20))
                  .addLast(new Hello());
            }
          })
          .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync();
      ready();
      new CountDownLatch(1).await();
    } finally {
      boss.shutdownGracefully();
      workers.shutdownGracefully();
    }
  }

  /** Answers every request with the body; writes during a read batch, flushes at its end. */
  private static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final ByteBuf CONTENT = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(BODY).asReadOnly());
    private long dateSecond = -1;
    private String date;

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      FullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, CONTENT.duplicate());
      response.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
          .set(HttpHeaderNames.DATE, date())
          .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
      if (!keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        context.write(response).addListener(ChannelFutureListener.CLOSE);
      } else {
        context.write(response);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
      context.flush();
    }

    private String date() {
      long second = System.currentTimeMillis() / 1000;
      if (second != dateSecond) {
        dateSecond = second;
        date = RFC_1123.format(Instant.ofEpochSecond(second));
      }
      return date;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      context.close();
    }
  }
}
