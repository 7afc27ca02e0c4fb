package dev.banger.cli;

import picocli.CommandLine.Option;

/** {@code --json}, shared by every command that prints data. */
final class OutputOptions {
    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;
}
