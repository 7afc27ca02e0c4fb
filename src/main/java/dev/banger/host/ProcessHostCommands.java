package dev.banger.host;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs programs with {@link ProcessBuilder}. Stdout and stderr are drained on virtual threads so a
 * chatty program can never block on a full pipe; a program past its timeout is killed, children
 * included. Safe for concurrent use.
 */
public final class ProcessHostCommands implements HostCommands {
    /** Extra directories searched after PATH: root's sbin dirs are often missing from a user's PATH. */
    private static final String[] EXTRA_DIRS = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"};

    @Override
    public CommandResult exec(Command command) {
        List<String> argv = new ArrayList<>(command.argv());
        resolve(command.program()).ifPresent(found -> argv.set(0, found.toString()));
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(command.env());
        if (command.workDir() != null) {
            builder.directory(command.workDir().toFile());
        }
        if (command.stdin() == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        long start = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandFailedException(command, "could not be started", e);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (command.stdin() != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(command.stdin());
                } catch (IOException e) {
                    // The program may exit without reading its input; its exit code tells the story.
                }
            }
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new CommandFailedException(command, "timed out after " + command.timeout().toMillis() + " ms");
            }
            return new CommandResult(command, process.exitValue(), out.join(), err.join(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandFailedException(command, "was interrupted");
        }
    }

    @Override
    public boolean available(String program) {
        return resolve(program).isPresent();
    }

    /** Finds a program on PATH, then in the sbin/bin directories; a path with a slash is taken as is. */
    public static Optional<Path> resolve(String program) {
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of(EXTRA_DIRS));
        for (String dir : dirs) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return result;
    }
}
