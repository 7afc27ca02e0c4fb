package dev.banger.vmm.qemu;

import dev.banger.config.QemuConfig;
import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.host.LogTail;
import dev.banger.model.Deadline;
import dev.banger.model.ErrorKind;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.AccelerationSource;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.SnapshotFiles;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import dev.banger.vmm.VmmKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QEMU backend: runs the argv of {@link QemuCommandLine} through {@link HostCommands}; QEMU
 * daemonises itself into its own session, so the machine outlives the request and the daemon. A
 * machine starts paused ({@code -S}) and runs on QMP {@code cont} ({@link #resume}); stop presses
 * Ctrl-Alt-Delete (the guest reboots and {@code -no-reboot} ends QEMU, as Firecracker's
 * {@code SendCtrlAltDel} does), then escalates to QMP {@code quit}, then SIGKILL; a machine that
 * has not run yet cannot take Ctrl-Alt-Delete and is quit at once. A paused machine can be moved
 * to another directory and grown before it runs ({@link #moved}, {@link #growDrive}: the warm pool).
 * A machine started to be saved ({@link #startSavable}) keeps its RAM in a file; saving it writes
 * the devices' state and keeps that file as the snapshot's memory, and copies restored from it map
 * the file copy-on-write ({@link #saveSnapshot}, {@link #restorePaused}: golden snapshots, see
 * {@link QemuMigration}).
 * {@link QemuProcesses} tells whether a pid is still this machine's QEMU, so a reused pid is never
 * mistaken for it or killed. Holds no per-machine state: safe for concurrent use on different machines.
 */
public final class QemuVmm implements Vmm {
    /** How {@link #stopReporting} ended the machine. */
    public enum StopOutcome {
        /** The process had already exited (or the pid belongs to something else now). */
        ALREADY_GONE,
        /** The guest took Ctrl-Alt-Delete and QEMU exited within the grace period. */
        GUEST_SHUTDOWN,
        /** The guest did not react in time; QMP {@code quit} ended QEMU. */
        QUIT,
        /** QEMU did not answer or did not exit; it was killed with SIGKILL. */
        KILLED
    }

    static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(30);
    static final Duration QMP_READY_TIMEOUT = Duration.ofSeconds(15);
    static final Duration QMP_CALL_TIMEOUT = Duration.ofSeconds(2);
    static final Duration QUIT_WAIT = Duration.ofSeconds(5);
    static final Duration KILL_WAIT = QemuProcesses.KILL_WAIT;
    private static final Duration POLL = Duration.ofMillis(20);
    /** {@code query-status} of a machine started with {@code -S} that has not run yet (QEMU 7+; older ones say paused). */
    private static final Set<String> NOT_RUN_YET = Set.of("prelaunch", "paused");
    /** Run states whose vCPUs are stopped, so the guest cannot take Ctrl-Alt-Delete: not run yet, or saved or loading. */
    private static final Set<String> CANNOT_REACT = Set.of("prelaunch", "paused", "postmigrate", QemuMigration.LOADING);
    /** The file QEMU's migration stream is saved to, inside the snapshot directory. */
    static final String STATE_FILE = "state";
    /** The guest's memory, inside the snapshot directory. */
    static final String MEMORY_FILE = "memory";
    /** Saving streams the guest's memory to a local file, a fraction of a second per 100 MiB; a minute allows for slow disks and large guests. */
    static final Duration SAVE_TIMEOUT = Duration.ofSeconds(60);
    /** Loading reads the same stream back, about as fast. */
    static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);
    private static final int CONSOLE_TAIL_BYTES = 4000;
    private static final Logger LOG = LoggerFactory.getLogger(QemuVmm.class);

    private final HostCommands host;
    private final String binary;
    private final AccelerationSource acceleration;
    private final OptionalLong hostTscKhz;
    private final QemuProcesses processes;

    /**
     * @param accel      KVM or TCG for every machine, from {@link QemuAccel#choose}
     * @param hostTscKhz the host TSC frequency, needed under TCG (see {@link HostTsc})
     */
    public QemuVmm(HostCommands host, QemuConfig config, QemuAccel accel, OptionalLong hostTscKhz) {
        this(host, config, AccelerationSource.fixed(accel == QemuAccel.KVM
                ? Acceleration.kvm("KVM chosen by the caller") : Acceleration.emulated("TCG chosen by the caller")), hostTscKhz);
    }

    /**
     * @param acceleration asked at every machine start, so a KVM verdict reached after this backend
     *                     was made is used by the next machine
     * @param hostTscKhz   the host TSC frequency, needed under TCG (see {@link HostTsc})
     */
    public QemuVmm(HostCommands host, QemuConfig config, AccelerationSource acceleration, OptionalLong hostTscKhz) {
        this.host = Objects.requireNonNull(host, "host");
        this.binary = Objects.requireNonNull(config, "config").binary();
        this.processes = new QemuProcesses(binary);
        this.acceleration = Objects.requireNonNull(acceleration, "acceleration");
        this.hostTscKhz = Objects.requireNonNull(hostTscKhz, "hostTscKhz");
    }

    /** The backend for this host: KVM or TCG as {@code acceleration} says at each start, the TSC from {@code /proc/cpuinfo}. */
    public static QemuVmm forHost(HostCommands host, QemuConfig config, AccelerationSource acceleration) {
        // Read whatever the verdict: it is asked at each start, and any machine may then need TCG's TSC.
        OptionalLong tsc = OptionalLong.empty();
        try {
            tsc = HostTsc.khzFromCpuinfo(Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("cannot read /proc/cpuinfo for the TSC frequency: {}", e.toString());
        }
        return new QemuVmm(host, config, acceleration, tsc);
    }

    /** The backend for this host with a fixed accelerator (tests). */
    public static QemuVmm forHost(HostCommands host, QemuConfig config, boolean kvmRunsOrdinaryGuests) {
        return forHost(host, config, AccelerationSource.fixed(kvmRunsOrdinaryGuests
                ? Acceleration.kvm("KVM chosen by the caller") : Acceleration.emulated("TCG chosen by the caller")));
    }

    @Override
    public String name() {
        return VmmKind.QEMU.wireName();
    }

    @Override
    public boolean opensQcow2() {
        return true;
    }

    @Override
    public VmmInstance startPaused(MachineSpec spec) {
        Acceleration how = acceleration.current();
        return launch(spec, QemuCommandLine.plan(binary, spec, QemuAccel.choose(how.kvm()), hostTscKhz), how);
    }

    /**
     * {@link #startPaused} with the guest's RAM in {@link QemuFiles#memoryFile}, a sparse 0600 file
     * mapped shared: the saved guest's pages are then in that file, and restoring maps it instead of
     * loading every page (on a host where fresh memory is costly, a 1 GiB guest's load went from
     * 0.2-2.3 s to ~50 ms; figures in {@code docs/bench.md}).
     */
    @Override
    public VmmInstance startSavable(MachineSpec spec) {
        Path memory = new QemuFiles(spec.vmDir()).memoryFile();
        Acceleration how = acceleration.current();
        List<String> argv = QemuCommandLine.plan(binary, spec, QemuAccel.choose(how.kvm()), hostTscKhz,
                Optional.of(new QemuCommandLine.MemoryFile(memory, true)));
        createPrivateFile(memory); // QEMU would make it 0644, and guest memory may hold anything
        return launch(spec, argv, how);
    }

    /** Runs {@code argv}, which daemonises, and waits until its QMP answers; on failure nothing is left running. */
    private VmmInstance launch(MachineSpec spec, List<String> argv, Acceleration how) {
        QemuFiles files = new QemuFiles(spec.vmDir());
        if (!Files.isDirectory(files.vmDir())) {
            throw new QemuException(ErrorKind.PRECONDITION_FAILED, "cannot start VM " + spec.name()
                    + ": its directory " + files.vmDir() + " does not exist");
        }
        CommandResult launched;
        try {
            launched = host.run(Command.of(argv).withTimeout(LAUNCH_TIMEOUT));
        } catch (CommandFailedException e) {
            processes.killLeftover(files);
            throw new QemuException("QEMU could not start VM " + spec.name() + ": " + e.getMessage()
                    + consoleTail(files), e);
        }
        long pid = readPid(files, spec.name(), launched);
        try {
            awaitQmp(pid, files, spec.name(), launched);
        } catch (RuntimeException e) {
            processes.killLeftover(pid, files.vmDir());
            throw e;
        }
        LOG.info("VM {}: QEMU pid {} running as {}", spec.name(), pid, how.describe(name()));
        return new VmmInstance(name(), pid, files.vmDir(), files.agentSocket(), VmmInstance.AgentTransport.UNIX_STREAM,
                OptionalLong.empty(), how);
    }

    @Override
    public void resume(VmmInstance instance) {
        QemuFiles files = new QemuFiles(instance.vmDir());
        try (QmpClient qmp = QmpClient.connect(files.qmpSocket(), QMP_CALL_TIMEOUT)) {
            if (NOT_RUN_YET.contains(qmp.queryStatus(QMP_CALL_TIMEOUT))) {
                qmp.cont(QMP_CALL_TIMEOUT);
            }
        } catch (QemuException e) {
            throw new QemuException("QEMU pid " + instance.pid() + " for " + instance.vmDir() + " did not let its guest run: "
                    + e.getMessage() + consoleTail(files), e);
        }
    }

    @Override
    public boolean adoptsPausedMachines() {
        return true;
    }

    /**
     * QEMU keeps its files open and its sockets bound to their inodes, so a renamed directory moves
     * the whole machine; {@link #isAlive} then knows it by the pid file it holds open.
     */
    @Override
    public VmmInstance moved(VmmInstance instance, Path vmDir) {
        if (!processes.moved(instance.pid(), instance.vmDir(), vmDir) && !processes.isOurs(instance.pid(), vmDir)) {
            throw new QemuException("QEMU pid " + instance.pid() + " is not the machine in " + vmDir + " after the move from "
                    + instance.vmDir());
        }
        QemuFiles files = new QemuFiles(vmDir);
        return new VmmInstance(name(), instance.pid(), files.vmDir(), files.agentSocket(), instance.agentTransport(),
                instance.startTicks(), instance.acceleration());
    }

    /**
     * QMP {@code block_resize}: the qcow2 header (or raw file) grows at once. A paused guest reads the
     * size at boot; a running one (restored from a snapshot) is told by a virtio config change and
     * its kernel sees the new capacity at once.
     */
    @Override
    public void growDrive(VmmInstance instance, String driveId, long bytes) {
        QemuFiles files = new QemuFiles(instance.vmDir());
        try (QmpClient qmp = QmpClient.connect(files.qmpSocket(), QMP_CALL_TIMEOUT)) {
            qmp.blockResize(driveId, bytes, QMP_CALL_TIMEOUT);
        } catch (QemuException e) {
            throw new QemuException("QEMU pid " + instance.pid() + " did not grow drive " + driveId + " to " + bytes
                    + " bytes: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean savesSnapshots() {
        return true;
    }

    /**
     * Streams the machine into {@code dir/state} ({@link QemuMigration#save}), then quits QEMU: the
     * source, paused after the migration, must not run on, as its drives are what the caller freezes.
     * A machine from {@link #startSavable} leaves its memory out of the stream, and its memory file
     * moves to {@code dir/memory}. Both files are flushed to disk before this returns.
     */
    @Override
    public SnapshotFiles saveSnapshot(VmmInstance instance, Path dir) {
        QemuFiles files = new QemuFiles(instance.vmDir());
        Path state = dir.resolve(STATE_FILE).toAbsolutePath().normalize();
        Path memory = dir.resolve(MEMORY_FILE).toAbsolutePath().normalize();
        boolean memoryApart = Files.isRegularFile(files.memoryFile());
        long started = System.nanoTime();
        boolean created = false;
        QemuException failure = null;
        try (QmpClient qmp = QmpClient.connect(files.qmpSocket(), QMP_CALL_TIMEOUT)) {
            try {
                String uri = MigrationUris.save(state);
                createPrivateFile(state);
                created = true;
                QemuMigration.save(qmp, uri, memoryApart, Deadline.after(SAVE_TIMEOUT));
            } finally {
                quitQuietly(qmp, instance); // saved or not, this machine is done: the contract ends it either way
            }
        } catch (QemuException e) {
            failure = e;
        }
        if (!endProcess(instance) && failure == null) {
            failure = new QemuException("the process is still running " + KILL_WAIT.toSeconds() + " s after SIGKILL");
        }
        if (failure == null) {
            failure = keep(state, memoryApart ? Optional.of(files.memoryFile()) : Optional.empty(), memory);
        }
        if (failure != null) {
            if (created) {
                deleteQuietly(state);
            }
            deleteQuietly(memory);
            throw new QemuException(failure.kind(), "QEMU pid " + instance.pid() + " for " + instance.vmDir()
                    + " could not save its machine to " + state + ": " + failure.getMessage()
                    + "; the machine was ended" + consoleTail(files), failure);
        }
        LOG.info("VM in {}: saved by QEMU pid {} to {}{} in {} ms", instance.vmDir(), instance.pid(), state,
                memoryApart ? " and " + memory : "", Duration.ofNanos(System.nanoTime() - started).toMillis());
        return new SnapshotFiles(state, memoryApart ? Optional.of(memory) : Optional.empty());
    }

    /**
     * Moves the memory file (if any) beside the state and flushes both: a snapshot half on disk after
     * a host crash would restore a damaged guest. Returns the failure, or null.
     */
    private static QemuException keep(Path state, Optional<Path> memoryFile, Path memory) {
        try {
            if (memoryFile.isPresent()) {
                Files.move(memoryFile.get(), memory);
                flush(memory);
            }
            flush(state);
            return null;
        } catch (IOException e) {
            return new QemuException("cannot keep the saved machine: " + e);
        }
    }

    private static void flush(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * {@link QemuCommandLine#planRestore}, launched like {@link #startPaused}, then waits until the
     * stream is loaded: QEMU reads it after daemonising, so the launch returns before the machine is
     * ready. Afterwards the machine is {@code paused}, which {@link #resume} lets run.
     */
    @Override
    public VmmInstance restorePaused(MachineSpec spec, SnapshotFiles snapshot) {
        Path state = snapshot.state().toAbsolutePath().normalize();
        Acceleration how = acceleration.current();
        List<String> argv = QemuCommandLine.planRestore(binary, spec, QemuAccel.choose(how.kvm()), hostTscKhz,
                new SnapshotFiles(state, snapshot.memory()));
        // QEMU 7.2 waits for good in "inmigrate" when the stream ends before it began: refuse an unreadable file here.
        if (!Files.isRegularFile(state) || !Files.isReadable(state)) {
            throw new QemuException(ErrorKind.PRECONDITION_FAILED, "cannot restore VM " + spec.name() + ": its snapshot "
                    + state + " is not a readable file; boot it instead");
        }
        snapshot.memory().ifPresent(memory -> requireMemoryFile(spec, memory));
        long started = System.nanoTime();
        VmmInstance instance;
        try {
            instance = launch(spec, argv, how); // QEMU may already exit here, having read a bad stream at once
        } catch (QemuException e) {
            throw notRestored(spec, state, e, e.getMessage());
        }
        QemuFiles files = new QemuFiles(spec.vmDir());
        Deadline loaded = Deadline.after(LOAD_TIMEOUT);
        // A QEMU reading its snapshot while others do too may greet late: the load's budget, not one call's.
        try (QmpClient qmp = QmpClient.connect(files.qmpSocket(), Duration.ofNanos(loaded.remainingNanos()))) {
            if (snapshot.memory().isPresent()) {
                QemuMigration.load(qmp, MigrationUris.load(state), loaded);
            } else {
                QemuMigration.awaitLoaded(qmp, loaded);
            }
        } catch (QemuException e) {
            boolean exited = !processes.isOurs(instance.pid(), files.vmDir());
            processes.killLeftover(instance.pid(), files.vmDir());
            throw notRestored(spec, state, e, "QEMU pid " + instance.pid() + (exited ? " exited while loading it: " : " did not load it: ")
                    + e.getMessage() + consoleTail(files));
        }
        LOG.info("VM {}: QEMU pid {} loaded {} in {} ms", spec.name(), instance.pid(), state,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return instance;
    }

    /** QEMU would silently lengthen a short memory file, and the snapshot's must never change. */
    private static void requireMemoryFile(MachineSpec spec, Path memory) {
        long expected = spec.memoryMib() * 1024L * 1024L;
        long size;
        try {
            size = Files.size(memory);
        } catch (IOException e) {
            throw new QemuException(ErrorKind.PRECONDITION_FAILED, "cannot restore VM " + spec.name() + ": its snapshot's "
                    + "memory file " + memory + " cannot be read (" + e + "); boot it instead");
        }
        if (size != expected) {
            throw new QemuException(ErrorKind.PRECONDITION_FAILED, "cannot restore VM " + spec.name() + ": its snapshot's "
                    + "memory file " + memory + " holds " + size + " bytes, not the machine's " + spec.memoryMib()
                    + " MiB; boot it instead");
        }
    }

    private static QemuException notRestored(MachineSpec spec, Path state, QemuException cause, String what) {
        return new QemuException(cause.kind(), "VM " + spec.name() + " was not restored from the snapshot " + state + ": " + what
                + "\nQEMU exits while loading a snapshot that does not match the machine (vCPUs, memory, devices, "
                + "accelerator) or is damaged; boot the VM instead", cause);
    }

    private static void createPrivateFile(Path state) {
        try {
            Files.createFile(state, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new QemuException("cannot create " + state + ": " + e, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.error("cannot remove the half-written snapshot {}: {}", file, e.toString());
        }
    }

    private static void quitQuietly(QmpClient qmp, VmmInstance instance) {
        try {
            qmp.quit(QMP_CALL_TIMEOUT);
        } catch (QemuException e) {
            LOG.warn("VM in {}: QMP quit failed: {}", instance.vmDir(), e.getMessage());
        }
    }

    /** Waits for a machine told to quit to exit, else kills it; true when it is gone. */
    private boolean endProcess(VmmInstance instance) {
        return awaitExit(instance, QUIT_WAIT) || processes.kill(instance.pid(), instance.vmDir());
    }

    @Override
    public void stop(VmmInstance instance, Duration grace) {
        stopReporting(instance, grace);
    }

    /**
     * {@link #stop}, telling which step ended the machine (also logged).
     *
     * @throws QemuException when the process survives even SIGKILL
     */
    public StopOutcome stopReporting(VmmInstance instance, Duration grace) {
        StopOutcome outcome = stopSteps(instance, grace);
        LOG.info("VM in {}: QEMU pid {} stopped: {}", instance.vmDir(), instance.pid(), outcome);
        return outcome;
    }

    private StopOutcome stopSteps(VmmInstance instance, Duration grace) {
        if (!isAlive(instance)) {
            return StopOutcome.ALREADY_GONE;
        }
        Path qmpSocket = new QemuFiles(instance.vmDir()).qmpSocket();
        boolean asked = false;
        try (QmpClient qmp = QmpClient.connect(qmpSocket, QMP_CALL_TIMEOUT)) {
            // A guest that never ran (paused at start, e.g. a create rolled back before it let the guest run), or
            // one stopped to be saved or still loading, cannot react.
            if (!CANNOT_REACT.contains(qmp.queryStatus(QMP_CALL_TIMEOUT))) {
                qmp.sendCtrlAltDelete(QMP_CALL_TIMEOUT);
                asked = true;
            }
        } catch (QemuException e) {
            LOG.warn("VM in {}: Ctrl-Alt-Delete not delivered: {}", instance.vmDir(), e.getMessage());
        }
        if (asked && awaitExit(instance, grace)) {
            return StopOutcome.GUEST_SHUTDOWN;
        }
        try (QmpClient qmp = QmpClient.connect(qmpSocket, QMP_CALL_TIMEOUT)) {
            qmp.quit(QMP_CALL_TIMEOUT);
        } catch (QemuException e) {
            LOG.warn("VM in {}: QMP quit failed: {}", instance.vmDir(), e.getMessage());
        }
        if (awaitExit(instance, QUIT_WAIT)) {
            return StopOutcome.QUIT;
        }
        if (processes.kill(instance.pid(), instance.vmDir())) {
            return StopOutcome.KILLED;
        }
        throw new QemuException("QEMU pid " + instance.pid() + " for " + instance.vmDir()
                + " is still running " + KILL_WAIT.toSeconds() + " s after SIGKILL");
    }

    @Override
    public Path consoleLog(Path vmDir) {
        return new QemuFiles(vmDir).consoleLog();
    }

    @Override
    public boolean isAlive(VmmInstance instance) {
        return processes.isOurs(instance.pid(), instance.vmDir());
    }

    private long readPid(QemuFiles files, String vm, CommandResult launched) {
        try {
            String text = Files.readString(files.pidFile(), StandardCharsets.UTF_8).strip();
            long pid = Long.parseLong(text);
            if (pid <= 0) {
                throw new NumberFormatException(text);
            }
            return pid;
        } catch (IOException | NumberFormatException e) {
            throw new QemuException("QEMU for VM " + vm + " returned but left no usable pid file at " + files.pidFile()
                    + ": " + e.getMessage() + stderr(launched) + consoleTail(files), e);
        }
    }

    /** Waits until QMP answers {@code query-status}; fails early, with the console tail, when QEMU exits. */
    private void awaitQmp(long pid, QemuFiles files, String vm, CommandResult launched) {
        Deadline end = Deadline.after(QMP_READY_TIMEOUT);
        QemuException last = null;
        while (true) {
            if (!processes.isOurs(pid, files.vmDir())) {
                throw new QemuException("QEMU for VM " + vm + " (pid " + pid + ") exited right after starting"
                        + stderr(launched) + consoleTail(files));
            }
            long left = end.remainingNanos();
            if (left <= 0) {
                throw new QemuException("QEMU for VM " + vm + " (pid " + pid + ") did not answer QMP at "
                        + files.qmpSocket() + " within " + QMP_READY_TIMEOUT.toSeconds() + " s"
                        + (last == null ? "" : ": " + last.getMessage()) + stderr(launched) + consoleTail(files));
            }
            Duration attempt = Duration.ofNanos(Math.min(left, QMP_CALL_TIMEOUT.toNanos()));
            try (QmpClient qmp = QmpClient.connect(files.qmpSocket(), attempt)) {
                LOG.debug("VM {}: QMP answers, status {}", vm, qmp.queryStatus(attempt));
                return;
            } catch (QemuException e) {
                last = e;
            }
            pause(end);
        }
    }

    private boolean awaitExit(VmmInstance instance, Duration limit) {
        return processes.awaitExit(instance.pid(), instance.vmDir(), limit);
    }

    private static void pause(Deadline end) {
        try {
            end.sleep(POLL);
        } catch (InterruptedException e) {
            throw QemuProcesses.interrupted();
        }
    }

    private static String stderr(CommandResult launched) {
        String err = launched.stderr().strip();
        return err.isEmpty() ? "" : "\nQEMU stderr:\n" + err;
    }

    /** The end of the guest console, for errors: what the kernel said before things went wrong. */
    static String consoleTail(QemuFiles files) {
        return tail(files.consoleLog()).map(t -> "\nconsole (" + files.consoleLog() + ") ends with:\n" + t).orElse("");
    }

    static Optional<String> tail(Path log) {
        try {
            String text = LogTail.read(log, CONSOLE_TAIL_BYTES).text().strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
