package dev.banger.host;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a program attached to this process's terminal: stdin, stdout and stderr are inherited, so
 * a person drives it (an interactive {@code ssh} session). Its output is not captured and the
 * command's timeout does not apply — the session lasts as long as the person wants. Stateless
 * and safe for concurrent use, though two attached programs would share one terminal.
 */
public final class AttachedProcess {
    private AttachedProcess() {}

    /**
     * Runs {@code command} with inherited stdio and waits for it.
     *
     * @return the program's exit code
     * @throws CommandFailedException when the program is not found or cannot be started, or the
     *                                wait is interrupted (the program is then killed)
     */
    public static int run(Command command) {
        List<String> argv = new ArrayList<>(command.argv());
        argv.set(0, ProcessHostCommands.resolve(command.program())
                .orElseThrow(() -> new CommandFailedException(command, "could not be started (program not found)"))
                .toString());
        ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
        builder.environment().putAll(command.env());
        if (command.workDir() != null) {
            builder.directory(command.workDir().toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandFailedException(command, "could not be started", e);
        }
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandFailedException(command, "was interrupted");
        }
    }
}
