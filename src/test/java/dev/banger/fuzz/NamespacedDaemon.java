package dev.banger.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.daemon.BangerSandbox;
import dev.banger.host.Command;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.DaemonStatus;
import dev.banger.rpc.DaemonUnavailableException;
import dev.banger.rpc.RpcClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real bangerd in a {@link BangerSandbox}, started inside a network namespace this fixture
 * creates ({@code banger-test-<random>}), so whatever the daemon might do to the network stays in
 * it and can be listed. {@link #close()} stops the daemon and deletes the namespace, also after a
 * failed start. Not thread-safe.
 */
final class NamespacedDaemon implements AutoCloseable {
    private final ProcessHostCommands host = new ProcessHostCommands();
    private final BangerSandbox sandbox;
    private final Path root;
    private final String namespace = "banger-test-fz" + Long.toHexString(System.nanoTime() & 0xffffffL);
    private Process daemon;

    NamespacedDaemon(Path root, String config) throws IOException {
        this.root = root;
        this.sandbox = new BangerSandbox(root);
        sandbox.writeConfig(config);
        host.run("ip", "netns", "add", namespace);
        host.run("ip", "-n", namespace, "link", "set", "lo", "up");
    }

    BangerSandbox sandbox() {
        return sandbox;
    }

    String namespace() {
        return namespace;
    }

    Process process() {
        return daemon;
    }

    /** Starts bangerd in the namespace and waits (bounded) until it answers {@code daemon.status}. */
    void start() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", namespace, root.resolve("bin/bangerd").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(sandbox.daemonLog().toFile()));
        builder.environment().putAll(sandbox.env());
        daemon = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (RpcClient client = RpcClient.connect(sandbox.paths().socket())) {
                client.call("daemon.status", null, DaemonStatus.class, Duration.ofSeconds(10));
                return;
            } catch (DaemonUnavailableException notYet) {
                assertThat(System.nanoTime()).as("bangerd answers within 60 s; log:%n%s", log()).isLessThan(deadline);
                assertThat(daemon.waitFor(50, TimeUnit.MILLISECONDS)).as("bangerd exited while starting; log:%n%s", log()).isFalse();
            }
        }
    }

    /** One call with a fresh connection; the answer must be a result. */
    <R> R call(String method, Class<R> type) {
        try (RpcClient client = RpcClient.connect(sandbox.paths().socket())) {
            return client.call(method, null, type, Duration.ofSeconds(30));
        }
    }

    /** {@code ip -o link} inside the namespace, without the per-run counters. */
    List<String> links() {
        return host.run("ip", "-n", namespace, "-o", "link", "show").stdout().lines()
                .map(line -> line.replaceAll("\\\\\\s+link/.*", "")).toList();
    }

    /** The namespace's firewall ({@code nft list ruleset}), where NAT rules would appear. */
    String firewall() {
        return host.run("ip", "netns", "exec", namespace, "nft", "list", "ruleset").stdout();
    }

    /** Every path under the sandbox's state and cache dirs, except the database and its journals. */
    SortedSet<String> files() {
        SortedSet<String> found = new TreeSet<>();
        for (Path dir : List.of(sandbox.paths().stateDir(), sandbox.paths().cacheDir())) {
            if (!Files.exists(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> !p.getFileName().toString().startsWith("state.db"))
                        .forEach(p -> found.add(root.relativize(p).toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    /** The daemon's live child processes (pid and command), after giving short-lived ones up to 15 s to end. */
    List<String> lingeringChildren() {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        ProcessHandle.of(daemon.pid()).stream().flatMap(ProcessHandle::descendants).forEach(child -> {
            try {
                child.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // Still alive at the deadline: reported below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return ProcessHandle.of(daemon.pid()).stream().flatMap(ProcessHandle::descendants)
                .filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
    }

    String log() {
        try {
            String text = Files.readString(sandbox.daemonLog());
            return text.length() < 6000 ? text : text.substring(text.length() - 6000);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    Map<String, String> env() {
        return sandbox.env();
    }

    @Override
    public void close() {
        try {
            sandbox.close();
            if (daemon != null && daemon.isAlive()) {
                daemon.destroyForcibly();
                daemon.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            host.exec(Command.of("ip", "netns", "del", namespace));
        }
    }
}
