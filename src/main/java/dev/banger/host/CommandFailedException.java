package dev.banger.host;

/** A program exited non-zero, timed out, or could not be started. The message names the command. */
public final class CommandFailedException extends HostException {
    private static final int STDERR_TAIL_CHARS = 2000;

    private final transient CommandResult result;

    CommandFailedException(CommandResult result) {
        super("command failed (exit " + result.exitCode() + "): " + result.command().display()
                + tail(result.stderr().isBlank() ? result.stdout() : result.stderr()));
        this.result = result;
    }

    CommandFailedException(Command command, String why) {
        super("command " + why + ": " + command.display());
        this.result = null;
    }

    CommandFailedException(Command command, String why, Throwable cause) {
        super("command " + why + ": " + command.display() + ": " + cause.getMessage(), cause);
        this.result = null;
    }

    /** The finished program's result, or {@code null} when it never ran to completion. */
    public CommandResult result() {
        return result;
    }

    private static String tail(String output) {
        String trimmed = output.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        if (trimmed.length() > STDERR_TAIL_CHARS) {
            trimmed = "…" + trimmed.substring(trimmed.length() - STDERR_TAIL_CHARS);
        }
        return "\n" + trimmed;
    }
}
