package dev.banger.cli;

import dev.banger.bench.BenchReport;
import dev.banger.bench.CreatePath;
import dev.banger.bench.CreateRun;
import dev.banger.host.Command;
import dev.banger.host.HostCommands;
import dev.banger.model.BangerException;
import dev.banger.model.Deadline;
import dev.banger.model.ErrorKind;
import dev.banger.model.Operation;
import dev.banger.model.OperationState;
import dev.banger.model.SshTarget;
import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmStats;
import dev.banger.rpc.RpcClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs {@code banger bench create}: each run creates a batch of VMs at once (one unless
 * {@code parallel} says more), waits until SSH answers, runs one command over SSH in each and
 * deletes them; with the slow path or cold boots compared, their batches alternate with the fast
 * ones so all see the same host at the same moment. With cold boots compared the snapshot of the
 * shape is made first ({@link BenchSnapshot}); where the daemon cannot make one, only cold boots
 * are measured. With batches of several, one uncounted create warms the daemon first and each run
 * ends with one create alone, the baseline. Each VM's VMM memory is read right after its create.
 * Figures come from the daemon's stage timestamps (see {@link CreateRun}); the polling here only
 * notices the end. A VM that was created is deleted also when a later step fails. Not thread-safe.
 */
final class CreateBenchmark {
    /** Every wait of the benchmark is bounded; guests under emulation boot slowly. */
    private static final Duration CREATE_DEADLINE = VmCreateCommand.CREATE_DEADLINE;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration DELETE_DEADLINE = Duration.ofMinutes(5);
    private static final Duration SSH_DEADLINE = Duration.ofMinutes(1);

    /**
     * What to measure.
     *
     * @param image    image to create from, or null for the default image
     * @param runs     runs per path
     * @param parallel creates per run, at once
     * @param compareSlowPath also measure the slow path, alternating with the fast one
     * @param compareCold also measure creates that boot cold ({@code cold: true}), alternating with the fast ones,
     *                    after making the snapshot of the shape
     * @param vcpus    guest size, or null for the daemon's default (likewise memory and disk)
     * @param cliRuns  {@code banger vm list} processes to time; 0 skips it
     */
    record Settings(String image, int runs, int parallel, boolean compareSlowPath, boolean compareCold, Integer vcpus,
            Integer memoryMib, Integer diskGib, int cliRuns) {}

    /** A step of the benchmark failed; the message says which VM and why. */
    static final class BenchmarkException extends BangerException {
        BenchmarkException(String message) {
            super(ErrorKind.INTERNAL, message);
        }
    }

    private final Supplier<RpcClient> connect;
    private final HostCommands host;
    private final Path keyDir;
    private final Optional<Path> cli;
    private final PrintWriter progress;
    private final String prefix = "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private int created;

    /**
     * @param keyDir   where the VMs' SSH keys and pinned host keys are written (mode 0700/0600)
     * @param cli      the {@code banger} launcher to time {@code vm list} with, if known
     * @param progress one line per finished create
     */
    CreateBenchmark(Supplier<RpcClient> connect, HostCommands host, Path keyDir, Optional<Path> cli, PrintWriter progress) {
        this.connect = connect;
        this.host = host;
        this.keyDir = keyDir;
        this.cli = cli;
        this.progress = progress;
    }

    /** What {@code vm.host.prepare} answers. */
    record HostReady(String bridge, int warmTaps, int warmMachines) {}

    BenchReport run(Settings settings) {
        HostReady ready = prepare(settings);
        progress.printf(Locale.ROOT, "host network ready: bridge %s, %d warm TAP(s), %d warm machine(s)%n", ready.bridge(),
                ready.warmTaps(), ready.warmMachines());
        // The path whose batches are compared with one create alone; without a snapshot, a --compare-cold run has only cold boots.
        CreatePath main = settings.compareCold() && !BenchSnapshot.make(connect, settings, progress) ? CreatePath.COLD : CreatePath.FAST;
        List<CreatePath> others = new ArrayList<>();
        if (settings.compareSlowPath()) {
            others.add(CreatePath.SLOW);
        }
        if (settings.compareCold() && main != CreatePath.COLD) {
            others.add(CreatePath.COLD);
        }
        List<CreateRun> runs = new ArrayList<>();
        List<Double> batches = new ArrayList<>();
        List<Double> solo = new ArrayList<>();
        if (settings.parallel() > 1) {
            // A fresh daemon's first creates run cold (class loading, JIT); the batches and the single create
            // they are compared with must meet it equally warm.
            progress.println("warm-up: one create, not counted");
            batch(settings, main, 1);
        }
        for (int run = 0; run < settings.runs(); run++) {
            List<CreateRun> first = batch(settings, main, settings.parallel());
            runs.addAll(first);
            if (settings.parallel() > 1) {
                batches.add(hostSideWall(first));
            }
            for (CreatePath other : others) {
                runs.addAll(batch(settings, other, settings.parallel()));
            }
            if (settings.parallel() > 1) {
                // Run by run, so the baseline meets the host as the batch before it did.
                CreateRun alone = batch(settings, main, 1).getFirst();
                runs.add(alone);
                solo.add(alone.hostSide());
            }
        }
        return new BenchReport(runs, settings.parallel(), Runtime.getRuntime().availableProcessors(), batches, solo,
                cliRoundTrips(settings.cliRuns()));
    }

    /** First request to last VMM started: how long the host side of a batch took as a whole. */
    static double hostSideWall(List<CreateRun> batch) {
        Instant first = Collections.min(batch.stream().map(CreateRun::requestedAt).toList());
        Instant last = Collections.max(batch.stream().map(CreateRun::vmmStarted).toList());
        return Duration.between(first, last).toNanos() / 1e6;
    }

    /**
     * {@code vm.host.prepare} for the creates to come: the host network up, and the TAP pool and
     * the warm machines of this image and size full, so that every measured create meets a warm
     * host (the pools refill behind the creates, while their guests boot).
     */
    private HostReady prepare(Settings settings) {
        return prepare(settings, CreatePath.FAST);
    }

    /** As above, the warm machines of the kind {@code path} takes: restored from the shape's snapshot unless it boots. */
    private HostReady prepare(Settings settings, CreatePath path) {
        Map<String, Object> params = shapeParams(settings);
        if (path != CreatePath.FAST) {
            params.put("cold", true);
        }
        try (RpcClient client = connect.get()) {
            return client.call("vm.host.prepare", params, HostReady.class, Duration.ofMinutes(2));
        }
    }

    private List<CreateRun> batch(Settings settings, CreatePath path, int size) {
        prepare(settings, path);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            names.add(prefix + "-" + (++created));
        }
        List<Future<CreateRun>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : names) {
                running.add(threads.submit(() -> once(settings, path, name)));
            }
        }
        List<CreateRun> done = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Future<CreateRun> run : running) {
            try {
                done.add(run.get());
            } catch (ExecutionException e) {
                failures.add(e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchmarkException("interrupted");
            }
        }
        if (!failures.isEmpty()) {
            throw new BenchmarkException(String.join("; ", failures));
        }
        return done;
    }

    private CreateRun once(Settings settings, CreatePath path, String name) {
        try (RpcClient client = connect.get()) {
            Instant requested = Instant.now();
            Operation operation = client.call("vm.create.begin", createParams(settings, path, name), Operation.class, CALL);
            try {
                operation = awaitEnd(client, operation);
                if (operation.state() != OperationState.SUCCEEDED) {
                    throw new BenchmarkException(path.label() + " create of " + name + " failed: " + operation.error());
                }
                Long rss = client.call("vm.stats", Map.of("name", name), VmStats.class, CALL).memoryRssBytes();
                long sshStart = System.nanoTime();
                ssh(client, name, sshDeadline(settings.parallel()));
                Duration ssh = Duration.ofNanos(System.nanoTime() - sshStart);
                long deleteStart = System.nanoTime();
                delete(client, name);
                CreateRun run = CreateRun.of(path, requested, operation, ssh,
                        Duration.ofNanos(System.nanoTime() - deleteStart), rss);
                progress.printf(Locale.ROOT, "%s %s%s: host-side %.1f ms, create %.1f s, ssh command %.0f ms, delete %.0f ms%s%n",
                        path.label(), name, run.restored() ? " (restored)" : "", run.hostSide(), run.create() / 1000,
                        run.sshCommand(), run.delete(), rss == null ? "" : ", VMM RSS " + VmView.mib(rss));
                progress.flush();
                return run;
            } catch (RuntimeException e) {
                deleteQuietly(name, e);
                throw e;
            }
        }
    }

    private static Map<String, Object> createParams(Settings settings, CreatePath path, String name) {
        Map<String, Object> params = shapeParams(settings);
        params.put("name", name);
        params.put("slowPath", path == CreatePath.SLOW);
        if (path == CreatePath.COLD) {
            params.put("cold", true);
        }
        return params;
    }

    /** Image and sizes as given; the daemon's defaults for what is not. */
    private static Map<String, Object> shapeParams(Settings settings) {
        Map<String, Object> params = new HashMap<>();
        params.put("image", settings.image());
        params.put("vcpus", settings.vcpus());
        params.put("memoryMib", settings.memoryMib());
        params.put("diskGib", settings.diskGib());
        params.values().removeIf(java.util.Objects::isNull);
        return params;
    }

    private static Operation awaitEnd(RpcClient client, Operation started) {
        Deadline end = Deadline.after(CREATE_DEADLINE);
        Operation current = started;
        while (current.state() == OperationState.RUNNING) {
            if (end.expired()) {
                throw new BenchmarkException("create of " + started.target() + " still runs after " + Durations.human(CREATE_DEADLINE));
            }
            try {
                end.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchmarkException("interrupted while waiting for the create of " + started.target());
            }
            current = client.call("vm.create.status", Map.of("operationId", started.id()), Operation.class, CALL);
        }
        return current;
    }

    private void ssh(RpcClient client, String name, Duration deadline) {
        SshTarget target = client.call("vm.ssh", Map.of("name", name), SshTarget.class, CALL);
        SshKeyFiles.Written files = SshKeyFiles.write(keyDir, target);
        host.run(Command.of(SshCommand.argv(target, files.key(), files.knownHosts(), List.of("true"))).withTimeout(deadline));
    }

    /**
     * A minute per two creates of a batch: under emulation every guest of a batch, just booted or
     * restored, translates sshd's and the shell's code afresh at its first login, and they share
     * the host's cores (eight restored guests took 15 s to over a minute for one {@code ssh true}).
     */
    static Duration sshDeadline(int parallel) {
        return SSH_DEADLINE.multipliedBy(Math.max(1, parallel / 2));
    }

    private static void delete(RpcClient client, String name) {
        VmDeleteResult result = client.call("vm.delete", Map.of("names", List.of(name)), VmDeleteResult.class, DELETE_DEADLINE);
        if (!result.allDeleted()) {
            throw new BenchmarkException("delete of " + name + " failed: " + result.outcomes().getFirst().error());
        }
    }

    /** After a failed step: the VM goes, if it exists; what stops that is added to the failure. */
    private void deleteQuietly(String name, RuntimeException failure) {
        try (RpcClient client = connect.get()) {
            VmDeleteResult result = client.call("vm.delete", Map.of("names", List.of(name)), VmDeleteResult.class, DELETE_DEADLINE);
            result.outcomes().stream().filter(o -> !o.deleted() && !ErrorKind.NOT_FOUND.wireName().equals(o.kind()))
                    .forEach(o -> failure.addSuppressed(new BenchmarkException("VM " + name + " left behind: " + o.error())));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Wall time of whole {@code banger vm list} processes: JVM start, connect, call, print. */
    private List<Double> cliRoundTrips(int count) {
        List<Double> times = new ArrayList<>();
        if (cli.isEmpty()) {
            return times;
        }
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            host.run(Command.of(cli.get().toString(), "vm", "list").withTimeout(CALL));
            times.add((System.nanoTime() - start) / 1e6);
        }
        return times;
    }
}
