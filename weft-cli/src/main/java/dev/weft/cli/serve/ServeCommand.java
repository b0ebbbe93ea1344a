package dev.weft.cli.serve;

import picocli.CommandLine.Command;

/** {@code weft serve}: the network servers. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run a network server until SIGINT/SIGTERM, then shut down gracefully.",
    subcommands = {EchoCommand.class, PubSubCommand.class, ServeHttp.class})
public final class ServeCommand {}
