package dev.banger.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program to run: always an argument list, never a shell string, so no input can be
 * re-interpreted by a shell. Build with {@link #of(String...)} and the {@code with*} methods.
 */
public record Command(List<String> argv, Map<String, String> env, Path workDir, Duration timeout, byte[] stdin) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public Command {
        Objects.requireNonNull(argv, "argv");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program name");
        }
        argv = List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), null, null, null);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Map.of(), null, null, null);
    }

    public Command withTimeout(Duration newTimeout) {
        return new Command(argv, env, workDir, newTimeout, stdin);
    }

    public Command withEnv(Map<String, String> newEnv) {
        return new Command(argv, newEnv, workDir, timeout, stdin);
    }

    public Command withWorkDir(Path dir) {
        return new Command(argv, env, dir, timeout, stdin);
    }

    public Command withStdin(byte[] input) {
        return new Command(argv, env, workDir, timeout, input);
    }

    public String program() {
        return argv.getFirst();
    }

    /** The argument list quoted for humans (error messages, logs); never executed. */
    public String display() {
        StringBuilder out = new StringBuilder();
        for (String arg : argv) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return out.toString();
    }
}
