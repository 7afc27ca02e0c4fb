package dev.banger.vm;

import dev.banger.vmm.AccelerationSource;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.SnapshotFiles;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmException;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A VMM backend that runs nothing: {@link #start} records the spec and serves a {@link FakeAgent}
 * on a Unix socket in the VM directory, answering with what {@link #health} says for that VM.
 * It can be told to refuse the next start, or to start a machine that dies at once (leaving a
 * console log behind). Records every start and stop; thread-safe.
 */
final class FakeVmm implements Vmm {
    static final String NAME = "fake";
    /** Asked at each start, as QEMU asks it, when set; else instances record no acceleration. */
    volatile AccelerationSource acceleration;
    static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests root@guest";

    private final AtomicLong pids = new AtomicLong(40_000);
    private final List<MachineSpec> started = new CopyOnWriteArrayList<>();
    private final List<MachineSpec> restored = new CopyOnWriteArrayList<>();
    private final List<VmmInstance> stopped = new CopyOnWriteArrayList<>();
    private final Set<Long> alive = ConcurrentHashMap.newKeySet();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Map<Long, FakeAgent> agents = new ConcurrentHashMap<>();
    private volatile Function<String, String> health = vm -> FakeAgent.report(true, true, true, HOST_KEY);
    private volatile boolean failNextStart;
    private volatile String dieWith;
    private volatile boolean adopts;
    private volatile boolean qcow2;
    private volatile boolean snapshots;
    private volatile boolean failNextRestore;
    private volatile FakeAgent.IdentityFailure identityFailure;
    /** The VM name each machine's agent answers for: its spec's, or the directory it was moved to. */
    private final Map<Long, String> names = new ConcurrentHashMap<>();

    /** Machines started paused can become VMs later, as QEMU's can (the warm pool). */
    FakeVmm adoptingPausedMachines() {
        adopts = true;
        return this;
    }

    /** Opens qcow2 overlays, as QEMU does: snapshots freeze qcow2 disks. */
    FakeVmm openingQcow2() {
        qcow2 = true;
        return this;
    }

    @Override
    public boolean opensQcow2() {
        return qcow2;
    }

    /**
     * Machines can be saved and restored, as QEMU's can. A restored machine's agent takes
     * identities, and afterwards reports the last one's hostname and host key.
     */
    FakeVmm savingSnapshots() {
        snapshots = true;
        return this;
    }

    /** The next restore does not load (as a snapshot of another QEMU would not). */
    FakeVmm failNextRestore() {
        failNextRestore = true;
        return this;
    }

    /** The agents of machines restored from now on answer identities with {@code failure}. */
    FakeVmm failIdentities(FakeAgent.IdentityFailure failure) {
        identityFailure = failure;
        return this;
    }

    /** The agent serving machine {@code pid}, while it runs. */
    FakeAgent agent(long pid) {
        return agents.get(pid);
    }

    /** What the agent of each VM answers; null means "not ready" (HTTP 503). */
    FakeVmm health(Function<String, String> answer) {
        this.health = answer;
        return this;
    }

    FakeVmm failNextStart() {
        failNextStart = true;
        return this;
    }

    /** The next machine writes {@code console} to its console log and exits at once. */
    FakeVmm dieOnNextStart(String console) {
        dieWith = console;
        return this;
    }

    /** The process of this instance exits (as if killed while the daemon was away). */
    void kill(VmmInstance instance) {
        alive.remove(instance.pid());
        closeAgent(instance.pid());
    }

    List<MachineSpec> started() {
        return List.copyOf(started);
    }

    List<VmmInstance> stopped() {
        return List.copyOf(stopped);
    }

    /** Pretends the process of a stored instance runs, with a healthy agent (a VM that outlived the daemon). */
    void adopt(VmmInstance instance) {
        alive.add(instance.pid());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public VmmInstance startPaused(MachineSpec spec) {
        started.add(spec);
        if (failNextStart) {
            failNextStart = false;
            throw new VmmException("fake VMM refused to start " + spec.name());
        }
        long pid = pids.incrementAndGet();
        Path socket = spec.vmDir().resolve("agent.sock");
        AccelerationSource how = acceleration;
        VmmInstance instance = new VmmInstance(NAME, pid, spec.vmDir(), socket, VmmInstance.AgentTransport.UNIX_STREAM,
                OptionalLong.empty(), how == null ? null : how.current());
        String console = dieWith;
        if (console != null) {
            dieWith = null;
            try {
                Files.writeString(consoleLog(spec.vmDir()), console);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return instance;
        }
        try {
            // As QEMU does: a socket file left by a machine that ran here before (a moved warm one) is replaced.
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.put(pid, spec.name());
        agents.put(pid, new FakeAgent(socket, () -> health.apply(names.get(pid))));
        alive.add(pid);
        events.add("paused " + spec.name());
        return instance;
    }

    @Override
    public boolean savesSnapshots() {
        return snapshots;
    }

    /** Writes the machine's "memory" (its name) to {@code dir/state}, 0600, and ends it. */
    @Override
    public SnapshotFiles saveSnapshot(VmmInstance instance, Path dir) {
        Path state = dir.resolve("state");
        try {
            Files.writeString(state, "saved " + names.get(instance.pid()));
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        events.add("saved " + names.get(instance.pid()));
        stop(instance, Duration.ZERO);
        return new SnapshotFiles(state, Optional.empty());
    }

    @Override
    public VmmInstance restorePaused(MachineSpec spec, SnapshotFiles snapshot) {
        if (failNextRestore) {
            failNextRestore = false;
            throw new VmmException("fake VMM could not load " + snapshot.state());
        }
        if (!Files.isRegularFile(snapshot.state())) {
            throw new VmmException("no saved machine at " + snapshot.state());
        }
        restored.add(spec);
        long pid = pids.incrementAndGet();
        Path socket = spec.vmDir().resolve("agent.sock");
        names.put(pid, spec.vmDir().getFileName().toString());
        agents.put(pid, new FakeAgent(socket, () -> {
            FakeAgent agent = agents.get(pid);
            List<Map<String, String>> taken = agent == null ? List.of() : agent.identities();
            if (taken.isEmpty()) {
                return health.apply(names.get(pid));
            }
            Map<String, String> identity = taken.getLast();
            return FakeAgent.report(identity.get("hostname"), true, true, true, identity.get("host_key_ed25519_pub") + " root@guest");
        }));
        if (identityFailure != null) {
            agents.get(pid).failIdentity(identityFailure);
        }
        alive.add(pid);
        events.add("restored " + names.get(pid));
        return new VmmInstance(NAME, pid, spec.vmDir(), socket, VmmInstance.AgentTransport.UNIX_STREAM);
    }

    /** The specs machines were restored with. */
    List<MachineSpec> restored() {
        return List.copyOf(restored);
    }

    @Override
    public boolean adoptsPausedMachines() {
        return adopts;
    }

    @Override
    public VmmInstance moved(VmmInstance instance, Path vmDir) {
        if (!alive.contains(instance.pid())) {
            throw new VmmException("fake machine " + instance.pid() + " is not running");
        }
        names.put(instance.pid(), vmDir.getFileName().toString());
        events.add("moved " + names.get(instance.pid()));
        return new VmmInstance(NAME, instance.pid(), vmDir, vmDir.resolve("agent.sock"), VmmInstance.AgentTransport.UNIX_STREAM);
    }

    @Override
    public void growDrive(VmmInstance instance, String driveId, long bytes) {
        events.add("grew " + instance.vmDir().getFileName() + " " + driveId + " " + bytes);
    }

    @Override
    public void resume(VmmInstance instance) {
        events.add("resumed " + instance.vmDir().getFileName());
    }

    /**
     * In order: {@code paused <vm>} when a start returned, {@code moved <vm>} when a paused machine became
     * that VM, {@code grew <vm> <drive> <bytes>}, {@code resumed <vm>} when its guest was let run.
     */
    List<String> events() {
        return List.copyOf(events);
    }

    @Override
    public void stop(VmmInstance instance, Duration grace) {
        stopped.add(instance);
        kill(instance);
    }

    @Override
    public Path consoleLog(Path vmDir) {
        return vmDir.resolve("console.log");
    }

    @Override
    public boolean isAlive(VmmInstance instance) {
        return alive.contains(instance.pid());
    }

    /** Stops every agent still serving. */
    void closeAll() {
        agents.keySet().forEach(this::closeAgent);
    }

    private void closeAgent(long pid) {
        FakeAgent agent = agents.remove(pid);
        if (agent != null) {
            agent.close();
        }
    }
}
