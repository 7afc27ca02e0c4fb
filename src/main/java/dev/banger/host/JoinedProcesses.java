package dev.banger.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Two programs talking to each other: each one's stdout is the other's stdin, as a shell's
 * {@code a | b} with the return pipe too. A share joins {@code ssh} (sshfs in the guest) with the
 * host's confined SFTP server this way. {@link ProcessBuilder} can pipe one child's output into the
 * next ({@code startPipeline}) but not back, and the JDK cannot hand a child an arbitrary
 * descriptor, so two virtual threads copy the bytes, one per direction; when one side's output
 * ends, the other's input is closed, so an end on either side reaches the other as EOF. The first
 * program's stderr is read line by line (for a caller waiting on what it says) and appended to
 * the log; the second's goes to the log directly. Thread-safe.
 */
public final class JoinedProcesses implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final Command first;
    private final Command second;
    private final Process one;
    private final Process two;
    private final CompletableFuture<Void> ended;

    private JoinedProcesses(Command first, Command second, Process one, Process two) {
        this.first = first;
        this.second = second;
        this.one = one;
        this.two = two;
        this.ended = CompletableFuture.anyOf(one.onExit(), two.onExit()).thenApply(p -> null);
    }

    /**
     * Starts {@code second}, then {@code first}, joined; both begin in the caller's environment plus
     * each command's own. Stderr goes to {@code log} (appended); each line {@code first} writes
     * there is also given to {@code firstStderr}, on a thread of its own.
     *
     * @throws HostException naming the command when either cannot be started (the other is then ended)
     */
    public static JoinedProcesses start(Command first, Command second, Path log, Consumer<String> firstStderr) {
        Process two = launch(second, ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process one;
        try {
            one = launch(first, ProcessBuilder.Redirect.PIPE);
        } catch (RuntimeException e) {
            kill(two);
            throw e;
        }
        JoinedProcesses joined = new JoinedProcesses(first, second, one, two);
        Thread.ofVirtual().name("pump-" + first.program()).start(() -> pump(one.getInputStream(), two.getOutputStream()));
        Thread.ofVirtual().name("pump-" + second.program()).start(() -> pump(two.getInputStream(), one.getOutputStream()));
        Thread.ofVirtual().name("stderr-" + first.program()).start(() -> lines(one.getErrorStream(), log, firstStderr));
        return joined;
    }

    /** Completes once either program has exited (the other follows on EOF, or on {@link #close}). */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    public boolean isAlive() {
        return one.isAlive() && two.isAlive();
    }

    /** The process ids, first's then second's, for logs. */
    public List<Long> pids() {
        return List.of(one.pid(), two.pid());
    }

    /** Exit codes so far, null for a program still running: for the message when a session ends. */
    public String exitSummary() {
        return first.program() + " " + status(one) + ", " + second.program() + " " + status(two);
    }

    /** Ends both programs (and what they started), waiting at most {@code grace} for each to go before killing it. */
    public void close(Duration grace) {
        List<Process> all = new ArrayList<>(List.of(one, two));
        for (Process process : all) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (Process process : all) {
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(process);
                }
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    private static Process launch(Command command, ProcessBuilder.Redirect stderr) {
        List<String> argv = new ArrayList<>(command.argv());
        argv.set(0, ProcessHostCommands.resolve(command.program())
                .orElseThrow(() -> new HostException("could not start " + command.display() + ": program not found"))
                .toString());
        ProcessBuilder builder = new ProcessBuilder(argv).redirectError(stderr);
        builder.environment().putAll(command.env());
        if (command.workDir() != null) {
            builder.directory(command.workDir().toFile());
        }
        try {
            return builder.start();
        } catch (IOException e) {
            throw new HostException("could not start " + command.display() + ": " + e.getMessage(), e);
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        byte[] buffer = new byte[BUFFER];
        try (from; to) {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // The other side went away: closing both streams (try-with-resources) passes the end on.
        }
    }

    private static void lines(InputStream stderr, Path log, Consumer<String> listener) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                listener.accept(line);
            }
        } catch (IOException e) {
            // The program ended; nothing more to read.
        }
    }

    private static String status(Process process) {
        return process.isAlive() ? "running" : "exited " + process.exitValue();
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
