package dev.banger.cli;

import dev.banger.model.BangerException;
import dev.banger.rpc.DaemonUnavailableException;
import picocli.CommandLine;

/**
 * The one place that turns an exception into a one-line message on stderr and an exit code.
 * Stack traces only with {@code BANGER_DEBUG=1}.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        commandLine.getErr().println("banger: " + message(e));
        if ("1".equals(System.getenv("BANGER_DEBUG"))) {
            e.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().flush();
        return exitCode(e);
    }

    static int exitCode(Exception e) {
        if (e instanceof DaemonUnavailableException) {
            return ExitCodes.DAEMON_UNAVAILABLE;
        }
        if (e instanceof BangerException banger) {
            return ExitCodes.forKind(banger.kind());
        }
        if (e instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILURE;
    }

    static String message(Exception e) {
        if (e instanceof BangerException) {
            return e.getMessage();
        }
        return "unexpected error: " + e + " (rerun with BANGER_DEBUG=1 for details)";
    }
}
