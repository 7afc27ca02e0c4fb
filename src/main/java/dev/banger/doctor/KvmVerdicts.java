package dev.banger.doctor;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.host.HostException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one owner of this host's KVM verdict, shared by the {@code kvm} doctor check, the checks
 * that depend on it and the daemon's backend choice. The verdict lives in the on-disk
 * {@link KvmVerdictCache} and is read through on every question, so whatever wrote it last (this
 * process's doctor, the first create's test boot, or a {@code banger doctor} run in another
 * process) counts at once. Asking costs file reads only: the QEMU version that keys the cache is
 * remembered for as long as the QEMU binary's file is unchanged. When no verdict is recorded,
 * {@link #verdict()} runs the bounded test boot ({@link KvmProbe}) once, however many callers
 * wait for it, and records it. Safe for concurrent use.
 */
public final class KvmVerdicts {
    /** The test boot's own deadline; the command's is this plus {@code timeout}'s kill grace and slack. */
    static final Duration PROBE_LIMIT = Duration.ofSeconds(15);
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);

    private final HostCommands host;
    private final KvmVerdictCache cache;
    private final String qemu;
    private final Supplier<Optional<Path>> guestKernel;
    private final Path hostRoot;
    private final Duration probeLimit;
    /** Held while a test boot runs, so concurrent askers wait for its verdict instead of booting twice. */
    private final ReentrantLock probing = new ReentrantLock();
    private volatile QemuVersion qemuVersion;
    /** The last test boot that could not run, for its key: {@link #verdict()} does not retry it on every create. */
    private volatile Unrunnable unrunnable;

    private record QemuVersion(String binaryIdentity, String version) {}

    private record Unrunnable(String key, KvmVerdict verdict) {}

    /** What the verdict can be decided from: settled without a test boot, or the kernel and cache key to test with. */
    private sealed interface Inputs permits Settled, Testable {}

    /** @param proven false when it only says KVM cannot be proven here (no kernel or QEMU to test with), not that it fails */
    private record Settled(KvmVerdict verdict, boolean proven) implements Inputs {}

    private record Testable(Path kernel, String key) implements Inputs {}

    /**
     * @param cacheDir    where verdicts are kept ({@code $BANGER_CACHE_DIR/doctor})
     * @param qemu        the QEMU binary that boots the test guest (and whose version keys the verdict)
     * @param guestKernel the kernel to test with, when there is one; asked on each question, may return empty
     * @param hostRoot    where {@code /dev} and {@code /proc} are read ({@code /} except in tests)
     */
    public KvmVerdicts(HostCommands host, Path cacheDir, String qemu, Supplier<Optional<Path>> guestKernel, Path hostRoot) {
        this(host, cacheDir, qemu, guestKernel, hostRoot, PROBE_LIMIT);
    }

    KvmVerdicts(HostCommands host, Path cacheDir, String qemu, Supplier<Optional<Path>> guestKernel, Path hostRoot,
                Duration probeLimit) {
        this.host = Objects.requireNonNull(host, "host");
        this.cache = new KvmVerdictCache(Objects.requireNonNull(cacheDir, "cacheDir"));
        this.qemu = Objects.requireNonNull(qemu, "qemu");
        this.guestKernel = Objects.requireNonNull(guestKernel, "guestKernel");
        this.hostRoot = Objects.requireNonNull(hostRoot, "hostRoot");
        this.probeLimit = Objects.requireNonNull(probeLimit, "probeLimit");
    }

    /**
     * What is known now, without a test boot: a verdict when one is recorded for this host kernel,
     * QEMU and guest kernel, or when KVM is plainly unusable here (no device, no kernel or QEMU to
     * prove it with); empty when only a test boot can tell.
     */
    public Optional<KvmVerdict> known() {
        return switch (inputs()) {
            case Settled settled -> Optional.of(settled.verdict());
            case Testable testable -> recorded(testable.key());
        };
    }

    /**
     * As {@link #known()}, but empty also when KVM is merely unproven (no guest kernel or QEMU to
     * test it with): what a report about KVM itself may call a verdict.
     */
    public Optional<KvmVerdict> proven() {
        return switch (inputs()) {
            case Settled settled -> settled.proven() ? Optional.of(settled.verdict()) : Optional.empty();
            case Testable testable -> recorded(testable.key());
        };
    }

    /**
     * The verdict, finding it out when nothing is recorded: the test boot runs once (bounded by its
     * deadline) while other askers wait for it, and its verdict is recorded. A test boot that cannot
     * run counts as "cannot" with the reason, and is not retried by this method until something
     * changes (the doctor check retries it). Never throws.
     */
    public KvmVerdict verdict() {
        Testable testable;
        switch (inputs()) {
            case Settled settled -> {
                return settled.verdict();
            }
            case Testable t -> testable = t;
        }
        Optional<KvmVerdict> recorded = recorded(testable.key());
        if (recorded.isPresent()) {
            return recorded.get();
        }
        probing.lock();
        try {
            recorded = recorded(testable.key());
            if (recorded.isPresent()) {
                return recorded.get();
            }
            try {
                return bootAndRecord(testable.kernel(), testable.key());
            } catch (HostException e) {
                KvmVerdict failed = new KvmVerdict(false, "the KVM test boot could not run: " + e.getMessage());
                unrunnable = new Unrunnable(testable.key(), failed);
                return failed;
            }
        } finally {
            probing.unlock();
        }
    }

    /** Whether an asker is waiting for a test boot under way (tests observe the single flight with it). */
    boolean waitingForTestBoot() {
        return probing.hasQueuedThreads();
    }

    /** The cache key for a test boot of {@code kernel} with this QEMU on this host kernel. */
    String key(Path kernel) {
        return KvmVerdictCache.key(hostKernelRelease(), qemuVersion(), kernel);
    }

    /** The recorded verdict under {@code key}, if any. */
    Optional<KvmVerdict> cached(String key) {
        return cache.find(key);
    }

    /** Where the verdict under {@code key} is kept. */
    Path cacheFile(String key) {
        return cache.fileFor(key);
    }

    /**
     * Boots {@code kernel} under KVM unless a verdict under {@code key} was recorded meanwhile (by
     * a concurrent asker), and records it: the doctor check's test boot, which retries one that
     * could not run before.
     *
     * @throws HostException when the test boot cannot be run at all (nothing is recorded)
     */
    KvmVerdict prove(Path kernel, String key) {
        probing.lock();
        try {
            Optional<KvmVerdict> recorded = cache.find(key);
            return recorded.isPresent() ? recorded.get() : bootAndRecord(kernel, key);
        } finally {
            probing.unlock();
        }
    }

    /** The test boot's argv for {@code kernel}, for messages. */
    Command probeCommand(Path kernel) {
        return Command.of(KvmProbe.command(qemu, kernel, probeLimit)).withTimeout(probeLimit.plusSeconds(15));
    }

    private KvmVerdict bootAndRecord(Path kernel, String key) {
        CommandResult result = host.exec(probeCommand(kernel));
        KvmVerdict verdict = KvmProbe.judge(result.stdout() + "\n" + result.stderr(), result.exitCode(), probeLimit);
        cache.store(key, verdict);
        unrunnable = null;
        return verdict;
    }

    private Optional<KvmVerdict> recorded(String key) {
        Optional<KvmVerdict> stored = cache.find(key);
        if (stored.isPresent()) {
            return stored;
        }
        Unrunnable failed = unrunnable;
        return failed != null && failed.key().equals(key) ? Optional.of(failed.verdict()) : Optional.empty();
    }

    private Inputs inputs() {
        Path device = hostRoot.resolve("dev/kvm");
        if (!Files.exists(device)) {
            return new Settled(new KvmVerdict(false, "/dev/kvm does not exist"), true);
        }
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            return new Settled(new KvmVerdict(false, "/dev/kvm cannot be opened read-write by this user"), true);
        }
        Optional<Path> kernel;
        try {
            kernel = guestKernel.get().filter(Files::isRegularFile);
        } catch (RuntimeException e) {
            kernel = Optional.empty();
        }
        if (kernel.isEmpty()) {
            return new Settled(new KvmVerdict(false, "unproven: there is no guest kernel to test /dev/kvm with"
                    + " (`banger runtime bootstrap` fetches one)"), false);
        }
        if (!host.available(qemu)) {
            return new Settled(new KvmVerdict(false, "unproven: " + qemu + " is not installed to test /dev/kvm with"), false);
        }
        try {
            return new Testable(kernel.get(), key(kernel.get()));
        } catch (HostException e) {
            return new Settled(new KvmVerdict(false, "unproven: cannot test KVM: " + e.getMessage()), false);
        }
    }

    /**
     * {@code qemu --version}, run again only when the binary's file changed (an upgrade), so that a
     * question on the create path starts no process.
     *
     * @throws HostException when QEMU does not run
     */
    private String qemuVersion() {
        String identity = binaryIdentity(qemu);
        QemuVersion memo = qemuVersion;
        if (memo != null && memo.binaryIdentity().equals(identity)) {
            return memo.version();
        }
        String version = KvmCheck.firstLine(host.run(Command.of(qemu, "--version").withTimeout(VERSION_TIMEOUT)));
        qemuVersion = new QemuVersion(identity, version);
        return version;
    }

    /** The program's file as found on PATH, with its size and modification time; just the name when not found. */
    static String binaryIdentity(String program) {
        Optional<Path> file = program.contains("/") ? Optional.of(Path.of(program)) : onPath(program);
        if (file.isEmpty()) {
            return program;
        }
        try {
            Path real = file.get().toRealPath();
            return real + ":" + Files.size(real) + ":" + Files.getLastModifiedTime(real).toMillis();
        } catch (IOException e) {
            return program;
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private String hostKernelRelease() {
        try {
            return Files.readString(hostRoot.resolve("proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
