package dev.banger.host;

/**
 * The one way banger runs a program. Implementations must be safe for concurrent use.
 * Tests replace it with a recording fake.
 */
public interface HostCommands {
    /**
     * Runs the command to completion and returns its result whatever the exit code.
     *
     * @throws CommandFailedException when the program cannot be started or exceeds its timeout
     */
    CommandResult exec(Command command);

    /**
     * Runs the command and insists on exit code 0.
     *
     * @throws CommandFailedException naming the argv, exit code and end of stderr otherwise
     */
    default CommandResult run(Command command) {
        CommandResult result = exec(command);
        if (!result.succeeded()) {
            throw new CommandFailedException(result);
        }
        return result;
    }

    default CommandResult run(String... argv) {
        return run(Command.of(argv));
    }

    /** Whether {@code program} resolves to an executable on this host's PATH (or is an executable path). */
    boolean available(String program);
}
