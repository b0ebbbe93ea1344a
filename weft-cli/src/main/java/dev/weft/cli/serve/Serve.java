package dev.weft.cli.serve;

import picocli.CommandLine.Command;

/** {@code weft serve ...}: the servers weft ships, each until SIGINT or SIGTERM. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run a server until SIGINT or SIGTERM.",
    subcommands = {ServeHttp.class})
public final class Serve {}
