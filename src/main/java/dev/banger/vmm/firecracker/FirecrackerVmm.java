package dev.banger.vmm.firecracker;

import dev.banger.config.FirecrackerConfig;
import dev.banger.host.Command;
import dev.banger.host.DetachedProcess;
import dev.banger.host.HostCommands;
import dev.banger.host.HostException;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.Deadline;
import dev.banger.model.ErrorKind;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmException;
import dev.banger.vmm.VmmInstance;
import dev.banger.vmm.VmmKind;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The Firecracker backend: spawns {@code firecracker --api-sock <vmDir>/firecracker.sock} in its
 * own session (so it outlives the daemon), or, with a jailer configured, the jailer, which
 * chroots into {@code <vmDir>/jail/firecracker/<vm>/root} (prepared by a {@link JailPlan}) and
 * execs Firecracker in place. It waits for the API socket under a deadline while watching for an
 * early exit, then applies the {@link FirecrackerPlan} through {@link FirecrackerApiClient}. Any
 * failure kills the spawned process and reports the end of its logs. Stops a booted machine with
 * Ctrl-Alt-Del, then SIGKILL after the grace period; one that never booted, or that refuses
 * Ctrl-Alt-Del, with SIGTERM at once, then SIGKILL. Holds no per-machine state: everything, jailed
 * or not, is found again from a {@link VmmInstance}'s pid, start time and VM directory, never from
 * the binary's file name (which {@code [firecracker] binary} may choose freely). Thread-safe; close
 * it to stop the HTTP client.
 */
public final class FirecrackerVmm implements Vmm, AutoCloseable {
    /** Firecracker has no emulator: every machine it starts runs under KVM (the backend is chosen only when KVM works). */
    private static final Acceleration UNDER_KVM = Acceleration.kvm("Firecracker runs guests under KVM only");
    public static final String NAME = VmmKind.FIRECRACKER.wireName();

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(FirecrackerVmm.class);
    /** How often the socket wait looks again; the wait itself returns at once when the process exits. */
    private static final Duration SOCKET_POLL = Duration.ofMillis(5);
    /** How long a SIGKILLed process may take to disappear. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** How long a SIGTERMed machine that cannot take Ctrl-Alt-Del may take to exit before SIGKILL. */
    private static final Duration TERM_WAIT = Duration.ofSeconds(2);

    private final Settings settings;
    private final HostCommands host;
    private final FirecrackerApiClient api;

    /**
     * Timing and the programs to run.
     *
     * @param binary        the firecracker executable
     * @param jail          whether to launch through the jailer ({@code [firecracker] jail})
     * @param jailer        the jailer executable; empty when not jailing, or when jailing was
     *                      asked for but none was found (then {@link #start} says how to get one)
     * @param socketTimeout how long the spawned process may take to open its API socket
     * @param apiTimeout    the bound on each API call
     */
    public record Settings(Path binary, boolean jail, Optional<Path> jailer, Duration socketTimeout, Duration apiTimeout) {
        public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_API_TIMEOUT = Duration.ofSeconds(10);

        public Settings {
            Objects.requireNonNull(binary, "binary");
            Objects.requireNonNull(jailer, "jailer");
            if (jailer.isPresent() && !jail) {
                throw new IllegalArgumentException("a jailer is only used when jailing");
            }
            requirePositive(socketTimeout, "socketTimeout");
            requirePositive(apiTimeout, "apiTimeout");
        }

        /** A direct launch of {@code binary}. */
        public Settings(Path binary, Duration socketTimeout, Duration apiTimeout) {
            this(binary, false, Optional.empty(), socketTimeout, apiTimeout);
        }

        /**
         * Default timeouts; the binary from the config, else the runtime bundle's; when the config
         * says {@code jail = true}, its jailer, else the bundle's.
         */
        public static Settings of(FirecrackerConfig config, Path bundleFirecracker, Optional<Path> bundleJailer) {
            Optional<Path> jailer = config.jail() ? config.jailer().or(() -> bundleJailer) : Optional.empty();
            return new Settings(config.binary().orElse(bundleFirecracker), config.jail(), jailer,
                    DEFAULT_SOCKET_TIMEOUT, DEFAULT_API_TIMEOUT);
        }

        private static void requirePositive(Duration duration, String what) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
        }
    }

    /** A planned launch: the argv, where its files are, and the API calls that configure it. */
    private record Launch(List<String> argv, FirecrackerPaths paths, List<ApiCall> calls) {}

    /** A live process that is this machine's Firecracker, and where its files are. */
    private record Running(ProcessHandle process, FirecrackerPaths paths) {}

    /** A backend that runs programs (only {@code mknod}, for a jailed block device) on the local host. */
    public FirecrackerVmm(Settings settings) {
        this(settings, new ProcessHostCommands());
    }

    public FirecrackerVmm(Settings settings, HostCommands host) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.host = Objects.requireNonNull(host, "host");
        this.api = new FirecrackerApiClient(settings.apiTimeout());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public KernelFlavour kernelFlavour() {
        return KernelFlavour.FIRECRACKER;
    }

    @Override
    public VmmInstance startPaused(MachineSpec spec) {
        Path setsid = ProcessHostCommands.resolve("setsid").orElseThrow(() -> new VmmException(
                ErrorKind.PRECONDITION_FAILED, "setsid (util-linux) is not installed; it detaches Firecracker from the daemon"));
        requireExecutable(settings.binary(), "Firecracker binary",
                "run 'banger runtime bootstrap' or set [firecracker] binary");
        Launch launch = settings.jail() ? prepareJailed(spec, setsid) : prepareDirect(spec, setsid);
        FirecrackerPaths paths = launch.paths();
        markPreBoot(spec, paths);
        Process process = launch(launch.argv(), paths.consoleLog());
        String who = (settings.jail() ? "jailed " : "") + "firecracker for VM " + spec.name() + " (pid " + process.pid() + ")";
        long started;
        try {
            awaitApiSocket(process, paths, who, launch.argv());
            started = startTicks(process);
            for (ApiCall call : launch.calls()) {
                if (!call.equals(FirecrackerPlan.start())) {
                    api.send(paths.apiSocket(), call); // InstanceStart waits for resume
                }
            }
        } catch (RuntimeException e) {
            // Whatever went wrong, nothing may be left running.
            String why = e instanceof VmmException ? e.getMessage() : e.toString();
            String leftover = kill(process.toHandle()) ? ""
                    : "\n(the process still runs " + KILL_WAIT.toMillis() + " ms after SIGKILL)";
            throw new VmmException(who + ": " + why + leftover + LogTails.of(paths.logs()), e);
        }
        LOG.info("{} started", who);
        return new VmmInstance(NAME, process.pid(), paths.vmDir(), paths.vsockSocket(),
                VmmInstance.AgentTransport.HYBRID_VSOCK, OptionalLong.of(started), UNDER_KVM);
    }

    /**
     * When our child started. Read while it is still our unreaped child, so the pid cannot have
     * been handed to another process yet: a later daemon tells a recycled pid by this.
     */
    private static long startTicks(Process process) {
        OptionalLong started = DetachedProcess.startTicks(process.pid());
        if (started.isEmpty() || !process.isAlive()) {
            throw new VmmException("exited right after opening its API socket");
        }
        return started.getAsLong();
    }

    /** Until {@code InstanceStart} succeeds, a stop must not press Ctrl-Alt-Del. */
    private static void markPreBoot(MachineSpec spec, FirecrackerPaths paths) {
        try {
            Files.writeString(paths.preBootMarker(), "");
        } catch (IOException e) {
            throw new VmmException("VM " + spec.name() + ": could not write " + paths.preBootMarker() + ": " + e, e);
        }
    }

    /** Starts the VMM detached; a failure stays a {@link VmmException}, as callers of the backend expect. */
    private static Process launch(List<String> argv, Path log) {
        try {
            return DetachedProcess.start(argv, log);
        } catch (HostException e) {
            throw new VmmException(e.getMessage(), e.getCause());
        }
    }

    private Launch prepareDirect(MachineSpec spec, Path setsid) {
        List<ApiCall> calls = FirecrackerPlan.configure(spec);
        FirecrackerLayout layout = new FirecrackerLayout(spec.vmDir());
        List<String> argv;
        try {
            argv = FirecrackerCommandLine.direct(setsid, settings.binary(), spec.name(), layout);
        } catch (IllegalArgumentException e) {
            throw new VmmException(ErrorKind.INVALID_ARGUMENT, "VM " + spec.name() + ": " + e.getMessage());
        }
        prepare(spec, layout);
        return new Launch(argv, layout, calls);
    }

    /**
     * Plans and builds the jail. The jail is named after the real file name of the binary,
     * because the jailer resolves {@code --exec-file} before naming its chroot.
     */
    private Launch prepareJailed(MachineSpec spec, Path setsid) {
        Path jailer = settings.jailer().orElseThrow(() -> new VmmException(ErrorKind.PRECONDITION_FAILED,
                "[firecracker] jail = true, but no jailer was found: set [firecracker] jailer to its path, or put it"
                        + " in the runtime bundle with 'banger runtime bootstrap --jailer <path>' (or set jail = false)"));
        requireExecutable(jailer, "Firecracker jailer",
                "run 'banger runtime bootstrap --jailer <path>' or fix [firecracker] jailer (or set jail = false)");
        Path firecracker;
        try {
            firecracker = settings.binary().toRealPath();
        } catch (IOException e) {
            throw new VmmException(ErrorKind.PRECONDITION_FAILED, "cannot resolve the Firecracker binary "
                    + settings.binary() + ": " + e.getMessage());
        }
        String execFileName = firecracker.getFileName().toString();
        if (!execFileName.contains("firecracker")) {
            throw new VmmException(ErrorKind.PRECONDITION_FAILED, "the jailer only runs a binary whose file name contains"
                    + " 'firecracker', but " + settings.binary() + " is " + firecracker);
        }
        JailLayout layout;
        try {
            layout = new JailLayout(spec.vmDir(), execFileName, spec.name());
        } catch (IllegalArgumentException e) {
            throw new VmmException(ErrorKind.INVALID_ARGUMENT, "VM " + spec.name() + ": " + e.getMessage());
        }
        FirecrackerPlan.validate(spec, layout);
        requireVmDir(spec, layout);
        JailPlan plan = JailPlan.of(spec, layout, JailBuilder.fileSystemOf(layout.vmDir()), JailBuilder::probe);
        List<ApiCall> calls = FirecrackerPlan.configure(plan.spec(), layout);
        List<String> argv = FirecrackerCommandLine.jailed(setsid, jailer, firecracker, layout);
        JailBuilder.build(plan, host);
        return new Launch(argv, layout, calls);
    }

    private static void requireExecutable(Path program, String what, String fix) {
        if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
            throw new VmmException(ErrorKind.PRECONDITION_FAILED, what + " " + program
                    + " is missing or not executable; " + fix);
        }
    }

    @Override
    public void resume(VmmInstance instance) {
        FirecrackerPaths paths = ours(instance).orElseThrow(() -> new VmmException("firecracker pid " + instance.pid()
                + " for " + instance.vmDir() + " is gone; its guest cannot start")).paths();
        try {
            api.send(paths.apiSocket(), FirecrackerPlan.start());
        } catch (VmmException e) {
            throw new VmmException("firecracker pid " + instance.pid() + ": " + e.getMessage() + LogTails.of(paths.logs()), e);
        }
        try {
            Files.deleteIfExists(paths.preBootMarker());
        } catch (IOException e) {
            // Left behind, a later stop would not press Ctrl-Alt-Del; the caller stops the machine instead.
            throw new VmmException("firecracker pid " + instance.pid() + " booted, but " + paths.preBootMarker()
                    + " could not be removed: " + e, e);
        }
    }

    @Override
    public void stop(VmmInstance instance, Duration grace) {
        Objects.requireNonNull(grace, "grace");
        Optional<Running> running = ours(instance);
        if (running.isEmpty()) {
            LOG.debug("firecracker pid {} for {} is already gone", instance.pid(), instance.vmDir());
            return;
        }
        FirecrackerPaths paths = running.get().paths();
        ProcessHandle process = running.get().process();
        if (Files.exists(paths.preBootMarker())) {
            // Ctrl-Alt-Del is a post-boot action: Firecracker would refuse it, and there is no guest to shut down.
            LOG.info("firecracker pid {} for {} never booted its guest; terminating it", instance.pid(), instance.vmDir());
            terminate(instance, process, paths);
            return;
        }
        try {
            api.send(paths.apiSocket(), FirecrackerPlan.ctrlAltDel());
        } catch (VmmException e) {
            // Refused, or the API is gone with the guest half shut down: nothing will come of waiting.
            LOG.warn("firecracker pid {}: Ctrl-Alt-Del failed, terminating it: {}", instance.pid(), e.getMessage());
            terminate(instance, process, paths);
            return;
        }
        if (awaitExit(process, grace)) {
            return;
        }
        LOG.warn("firecracker pid {} did not exit within {} ms of Ctrl-Alt-Del; killing it", instance.pid(), grace.toMillis());
        if (!kill(process)) {
            throw stillRuns(instance, paths);
        }
    }

    /** SIGTERM, a short bounded wait, then SIGKILL: for a machine that cannot take Ctrl-Alt-Del. */
    private static void terminate(VmmInstance instance, ProcessHandle process, FirecrackerPaths paths) {
        process.destroy();
        if (awaitExit(process, TERM_WAIT)) {
            return;
        }
        LOG.warn("firecracker pid {} did not exit within {} ms of SIGTERM; killing it", instance.pid(), TERM_WAIT.toMillis());
        if (!kill(process)) {
            throw stillRuns(instance, paths);
        }
    }

    private static VmmException stillRuns(VmmInstance instance, FirecrackerPaths paths) {
        return new VmmException("firecracker pid " + instance.pid() + " for " + instance.vmDir()
                + " still runs " + KILL_WAIT.toMillis() + " ms after SIGKILL" + LogTails.of(paths.logs()));
    }

    @Override
    public Path consoleLog(Path vmDir) {
        return new FirecrackerLayout(vmDir).consoleLog();
    }

    @Override
    public boolean isAlive(VmmInstance instance) {
        return ours(instance).isPresent();
    }

    @Override
    public void close() {
        api.close();
    }

    /**
     * The live process behind {@code instance}, only if it is still that machine's Firecracker: it
     * started when the instance says (when the instance knows; a recycled pid started later), and
     * it was launched directly (its command line gives the VM's API socket to {@code --api-sock})
     * or jailed (its command line is a jailed Firecracker's, and its root is that machine's jail in
     * this VM directory). What the program is called plays no part.
     */
    private static Optional<Running> ours(VmmInstance instance) {
        long pid = instance.pid();
        OptionalLong started = DetachedProcess.startTicks(pid);
        if (started.isEmpty() || (instance.startTicks().isPresent() && !instance.startTicks().equals(started))) {
            return Optional.empty();
        }
        // The handle keeps the start time it saw: it never signals a process that took the pid later.
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return Optional.empty();
        }
        List<String> cmdline = DetachedProcess.cmdline(pid);
        FirecrackerLayout direct = new FirecrackerLayout(instance.vmDir());
        Optional<FirecrackerPaths> paths = FirecrackerCommandLine.servesApiSocket(cmdline, direct)
                ? Optional.of(direct)
                : FirecrackerCommandLine.jailedInstanceId(cmdline).flatMap(id -> jailOf(pid, direct.vmDir(), id));
        // The same process from the first look to the last: the pid was not recycled while we read.
        return paths.filter(found -> DetachedProcess.startTicks(pid).equals(started))
                .map(found -> new Running(process.get(), found));
    }

    /**
     * The jail in {@code vmDir} for instance {@code id} that is the root of process {@code pid}.
     * The jailer names the jail after the executable's file name, so every name there is a candidate.
     */
    private static Optional<FirecrackerPaths> jailOf(long pid, Path vmDir, String id) {
        List<Path> named;
        try (Stream<Path> list = Files.list(vmDir.resolve(JailLayout.CHROOT_BASE))) {
            named = list.toList();
        } catch (IOException e) {
            return Optional.empty(); // no jail in this VM directory
        }
        for (Path name : named) {
            JailLayout jail;
            try {
                jail = new JailLayout(vmDir, name.getFileName().toString(), id);
            } catch (IllegalArgumentException e) {
                continue;
            }
            // Unreadable only when not permitted; the command line and the jail directory then have to do.
            if (Files.isDirectory(jail.root()) && DetachedProcess.rootIs(pid, jail.root()).orElse(true)) {
                return Optional.of(jail);
            }
        }
        return Optional.empty();
    }

    private static void requireVmDir(MachineSpec spec, FirecrackerPaths paths) {
        if (!Files.isDirectory(paths.vmDir())) {
            throw new VmmException(ErrorKind.PRECONDITION_FAILED,
                    "VM " + spec.name() + ": VM directory " + paths.vmDir() + " does not exist");
        }
    }

    private static void prepare(MachineSpec spec, FirecrackerLayout layout) {
        requireVmDir(spec, layout);
        try {
            // Firecracker refuses to bind a socket path that exists; these are left by a previous run.
            Files.deleteIfExists(layout.apiSocket());
            Files.deleteIfExists(layout.vsockSocket());
            // Firecracker opens its log and metrics files but does not create them, and need not
            // append: each run starts them empty so one run's lines never overwrite another's.
            for (Path file : List.of(layout.vmmLog(), layout.metrics())) {
                Files.write(file, new byte[0]);
            }
        } catch (IOException e) {
            throw new VmmException("VM " + spec.name() + ": could not prepare " + layout.vmDir() + ": " + e, e);
        }
    }

    /** Waits until the API socket accepts connections; fails at once when the process exits. */
    private void awaitApiSocket(Process process, FirecrackerPaths layout, String who, List<String> argv) {
        Deadline end = Deadline.after(settings.socketTimeout());
        while (true) {
            if (accepts(layout.apiSocket())) {
                return;
            }
            if (!process.isAlive()) {
                throw new VmmException("exited with code " + process.exitValue()
                        + " before opening its API socket " + layout.apiSocket() + "; command: " + Command.of(argv).display());
            }
            long remaining = end.remainingNanos();
            if (remaining <= 0) {
                throw new VmmException("did not open its API socket " + layout.apiSocket() + " within "
                        + settings.socketTimeout().toMillis() + " ms");
            }
            try {
                // Doubles as the pause between looks: returns early when the process exits.
                process.waitFor(Math.min(remaining, SOCKET_POLL.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VmmException("interrupted while waiting for the API socket " + layout.apiSocket());
            }
        }
    }

    private static boolean accepts(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return channel.isConnected();
        } catch (IOException e) {
            // Bound but not yet listening, or a leftover: look again.
            return false;
        }
    }

    /** SIGKILL, then a bounded wait; true when the process is gone. */
    private static boolean kill(ProcessHandle process) {
        process.destroyForcibly();
        return awaitExit(process, KILL_WAIT);
    }

    private static boolean awaitExit(ProcessHandle process, Duration wait) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
