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
import dev.banger.vmm.SnapshotFiles;
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
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The Firecracker backend: spawns {@code firecracker --api-sock <vmDir>/firecracker.sock} in its
 * own session (so it outlives the daemon), or, with a jailer configured, the jailer, which
 * chroots into {@code <vmDir>/jail/firecracker/<vm>/root} (prepared by a {@link JailPlan}) and
 * execs Firecracker in place. It waits for the API socket under a deadline while watching for an
 * early exit, then applies the {@link FirecrackerPlan} through {@link FirecrackerApiClient}.
 * Jailed, it also saves a running machine ({@link JailedMachine}) and starts one from those files
 * instead of configuring it (a snapshot load, then {@code PATCH /vm} on resume; {@link PendingStart}
 * records which call a machine waits for). Any failure kills the spawned process and reports the
 * end of its logs. Stops a booted machine with Ctrl-Alt-Del, then SIGKILL after the grace period;
 * one whose guest never ran, or that refuses Ctrl-Alt-Del, with SIGTERM at once, then SIGKILL.
 * Holds no per-machine state: everything, jailed or not, is found again from a {@link VmmInstance}'s pid, start time and VM directory, never from
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
        return launch(spec, Optional.empty());
    }

    /**
     * Firecracker re-opens each drive at the path recorded in the snapshot. Jailed, that path is
     * {@code /drives/<id>} inside every VM's own chroot, where each restored VM finds its own copy;
     * launched directly it would be the saved VM's own file, so without the jail creates boot cold.
     */
    @Override
    public boolean savesSnapshots() {
        return settings.jail();
    }

    @Override
    public VmmInstance restorePaused(MachineSpec spec, SnapshotFiles snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (!savesSnapshots()) {
            throw new VmmException(ErrorKind.PRECONDITION_FAILED, "VM " + spec.name() + ": Firecracker restores snapshots"
                    + " only when jailed ([firecracker] jail = true), where every machine sees its drives at the same paths");
        }
        return launch(spec, Optional.of(snapshot));
    }

    /** Spawns Firecracker and configures it, or has it load {@code snapshot}; its guest does not run yet. */
    private VmmInstance launch(MachineSpec spec, Optional<SnapshotFiles> snapshot) {
        Path setsid = ProcessHostCommands.resolve("setsid").orElseThrow(() -> new VmmException(
                ErrorKind.PRECONDITION_FAILED, "setsid (util-linux) is not installed; it detaches Firecracker from the daemon"));
        requireExecutable(settings.binary(), "Firecracker binary",
                "run 'banger runtime bootstrap' or set [firecracker] binary");
        Launch launch = settings.jail() ? prepareJailed(spec, setsid, snapshot) : prepareDirect(spec, setsid);
        FirecrackerPaths paths = launch.paths();
        PendingStart pending = snapshot.isPresent() ? PendingStart.RESUME : PendingStart.BOOT;
        markPreBoot(spec, paths, pending);
        Process process = spawn(launch.argv(), paths.consoleLog());
        String who = (settings.jail() ? "jailed " : "") + "firecracker for VM " + spec.name() + " (pid " + process.pid() + ")"
                + snapshot.map(files -> " restoring " + files.state()).orElse("");
        long started;
        try {
            awaitApiSocket(process, paths, who, launch.argv());
            started = startTicks(process);
            for (ApiCall call : launch.calls()) {
                if (!call.equals(FirecrackerPlan.start())) {
                    api.send(paths.apiSocket(), call); // InstanceStart waits for resume; a restore has none
                }
            }
        } catch (RuntimeException e) {
            // Whatever went wrong, nothing may be left running.
            String why = e instanceof VmmException ? e.getMessage() : e.toString();
            String leftover = FirecrackerProcesses.kill(process.toHandle()) ? ""
                    : "\n(the process still runs " + FirecrackerProcesses.KILL_WAIT.toMillis() + " ms after SIGKILL)";
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

    /** Until the guest runs, a stop must not press Ctrl-Alt-Del, and resume must know which call lets it run. */
    private static void markPreBoot(MachineSpec spec, FirecrackerPaths paths, PendingStart pending) {
        try {
            pending.mark(paths);
        } catch (IOException e) {
            throw new VmmException("VM " + spec.name() + ": could not write " + paths.preBootMarker() + ": " + e, e);
        }
    }

    /** Starts the VMM detached; a failure stays a {@link VmmException}, as callers of the backend expect. */
    private static Process spawn(List<String> argv, Path log) {
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
    private Launch prepareJailed(MachineSpec spec, Path setsid, Optional<SnapshotFiles> snapshot) {
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
        long jailFileSystem = JailBuilder.fileSystemOf(layout.vmDir());
        JailPlan plan = JailPlan.of(spec, layout, jailFileSystem, JailBuilder::probe);
        // A restore's jail is a boot's with the snapshot's files added: the same drive paths as the saved machine's.
        if (snapshot.isPresent()) {
            plan = plan.withSnapshot(snapshot.get(), jailFileSystem, JailBuilder::probe);
        }
        List<ApiCall> calls = snapshot.isEmpty() ? FirecrackerPlan.configure(plan.spec(), layout)
                : FirecrackerPlan.restore(plan.spec(), layout, layout.snapshotState(), layout.snapshotMemory());
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
        FirecrackerPaths paths = FirecrackerProcesses.require(instance, "its guest cannot start").paths();
        try {
            // No marker: a machine from before markers were kept, or one already running, which InstanceStart tells.
            api.send(paths.apiSocket(), PendingStart.of(paths).orElse(PendingStart.BOOT).call());
        } catch (VmmException | IOException e) {
            throw new VmmException("firecracker pid " + instance.pid() + ": " + e.getMessage() + LogTails.of(paths.logs()), e);
        }
        try {
            PendingStart.clear(paths);
        } catch (IOException e) {
            // Left behind, a later stop would not press Ctrl-Alt-Del; the caller stops the machine instead.
            throw new VmmException("firecracker pid " + instance.pid() + " booted, but " + paths.preBootMarker()
                    + " could not be removed: " + e, e);
        }
    }

    @Override
    public void stop(VmmInstance instance, Duration grace) {
        Objects.requireNonNull(grace, "grace");
        Optional<FirecrackerProcesses.Running> running = FirecrackerProcesses.ours(instance);
        if (running.isEmpty()) {
            LOG.debug("firecracker pid {} for {} is already gone", instance.pid(), instance.vmDir());
            return;
        }
        FirecrackerPaths paths = running.get().paths();
        ProcessHandle process = running.get().process();
        if (Files.exists(paths.preBootMarker())) {
            // Not booted: Firecracker would refuse Ctrl-Alt-Del, and there is no guest to shut down. Loaded
            // from a snapshot but not resumed: the paused vCPUs would never see it, and the guest has written nothing.
            LOG.info("firecracker pid {} for {} never ran its guest; terminating it", instance.pid(), instance.vmDir());
            FirecrackerProcesses.terminate(instance, process, paths);
            return;
        }
        try {
            api.send(paths.apiSocket(), FirecrackerPlan.ctrlAltDel());
        } catch (VmmException e) {
            // Refused, or the API is gone with the guest half shut down: nothing will come of waiting.
            LOG.warn("firecracker pid {}: Ctrl-Alt-Del failed, terminating it: {}", instance.pid(), e.getMessage());
            FirecrackerProcesses.terminate(instance, process, paths);
            return;
        }
        if (FirecrackerProcesses.awaitExit(process, grace)) {
            return;
        }
        LOG.warn("firecracker pid {} did not exit within {} ms of Ctrl-Alt-Del; killing it", instance.pid(), grace.toMillis());
        if (!FirecrackerProcesses.kill(process)) {
            throw FirecrackerProcesses.stillRuns(instance, paths);
        }
    }

    /**
     * Pauses the vCPUs, has Firecracker write a full snapshot into its jail, moves the two files
     * into {@code dir} and ends the process ({@link JailedMachine#save}).
     */
    @Override
    public SnapshotFiles saveSnapshot(VmmInstance instance, Path dir) {
        return JailedMachine.of(instance, "its machine cannot be saved").save(api, dir);
    }

    /** Grows the drive's file and, once the guest has run or was loaded, has Firecracker read it again ({@link JailedMachine#growDrive}). */
    @Override
    public void growDrive(VmmInstance instance, String driveId, long bytes) {
        JailedMachine.of(instance, "its drive cannot grow").growDrive(api, driveId, bytes);
    }

    @Override
    public Path consoleLog(Path vmDir) {
        return new FirecrackerLayout(vmDir).consoleLog();
    }

    @Override
    public boolean isAlive(VmmInstance instance) {
        return FirecrackerProcesses.ours(instance).isPresent();
    }

    @Override
    public void close() {
        api.close();
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
}
