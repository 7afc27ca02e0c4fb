package dev.banger.cli;

import picocli.CommandLine;

/** Entry point of the {@code banger} launcher. */
public final class BangerMain {
    private BangerMain() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run commands through it in-process. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new BangerCommand());
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
