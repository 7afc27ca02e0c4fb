package dev.banger.vm.warm;

import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.host.disk.DiskFormat;
import dev.banger.model.Deadline;
import dev.banger.model.Image;
import dev.banger.model.StageRunner;
import dev.banger.store.StoredJson;
import dev.banger.vm.boot.BootSequence;
import dev.banger.vm.boot.Machines;
import dev.banger.vm.host.HostKeys;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.host.TapSource;
import dev.banger.vm.host.VmDisks;
import dev.banger.vm.snapshot.GoldenSnapshot;
import dev.banger.vm.snapshot.GoldenSnapshots;
import dev.banger.vm.snapshot.SnapshotMeta;
import dev.banger.vm.snapshot.SnapshotShape;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmFiles;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.SnapshotFiles;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes golden snapshots: a machine of the shape, like a warm machine (a root overlay on the
 * image's rootfs, a work overlay on its seed, a config drive, the backend's base kernel command
 * line, a placeholder MAC, a TAP kept off the bridge), booted until its agent sees sshd, {@code /root}
 * and the image's services ready — with no address, name or key of any VM — then saved by the
 * backend, its disks frozen read-only beside the saved state. Stages: {@code prepare}, {@code boot},
 * {@code save}, {@code freeze}. A machine under way is recorded like a warm machine, so a daemon
 * killed meanwhile has it stopped at its next start. Thread-safe; one maker per shape at a time is
 * the caller's rule.
 */
public final class GoldenMaker {
    public static final List<String> STAGES = List.of("prepare", "boot", "save", "freeze");
    /** Writing back a freshly booted guest's dirty pages takes well under a second. */
    private static final Duration SYNC_DEADLINE = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(GoldenMaker.class);
    private static final String FROZEN = "r--------";
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final VmDisks disks;
    private final HostTaps taps;
    private final HostKeys keys;
    private final GoldenSnapshots snapshots;
    private final BootSequence boot;
    private final Path root;
    private final AtomicLong serial = new AtomicLong();
    private final Set<Machine> underWay = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** @param root where machines being made wait (the warm machines' directory, whose leftovers a start clears) */
    public GoldenMaker(VmDisks disks, HostTaps taps, HostKeys keys, GoldenSnapshots snapshots, BootSequence boot, Path root) {
        this.disks = disks;
        this.taps = taps;
        this.keys = keys;
        this.snapshots = snapshots;
        this.boot = boot;
        this.root = root;
    }

    /**
     * Makes and records a snapshot of {@code shape} from {@code image} with {@code vmm}, its {@code /root}
     * grown to {@code diskBytes} by the golden guest itself (restores of that size then grow nothing,
     * larger ones grow from it, smaller ones boot), waiting at most {@code bootDeadline} for the guest
     * to be ready; leaves nothing behind on failure.
     */
    public GoldenSnapshot make(Image image, SnapshotShape shape, long diskBytes, Vmm vmm, List<String> services,
            Duration bootDeadline, StageRunner stages) {
        if (root == null) {
            throw VmException.precondition("this daemon has no directory for machines made ahead of creates");
        }
        long n = serial.incrementAndGet();
        Path dir = root.resolve("golden-" + System.currentTimeMillis() + "-" + n);
        Machine machine = new Machine(dir, vmm);
        underWay.add(machine);
        try {
            refuseWhenStopping();
            MachineSpec spec = stages.call("prepare", () -> prepare(machine, image, shape, diskBytes, vmm, n));
            stages.run("boot", () -> {
                refuseWhenStopping();
                machine.instance = vmm.startSavable(spec);
                record(machine);
                refuseWhenStopping();
                vmm.resume(machine.instance);
                boot.waiter(vmm).awaitReadyUnaddressed("golden " + shape, machine.instance, services, bootDeadline);
            });
            Path saved = snapshots.newDir(image, shape);
            machine.saved = saved;
            SnapshotFiles files = stages.call("save", () -> {
                flushGuest(machine, vmm);
                return vmm.saveSnapshot(machine.instance, saved);
            });
            GoldenSnapshot made = stages.call("freeze", () -> freeze(machine, image, shape, spec, files));
            machine.saved = null;
            LOG.info("{} made", made);
            return made;
        } finally {
            discard(machine, vmm);
            underWay.remove(machine);
        }
    }

    /**
     * Has the guest write its dirty pages to its disks before it is saved: otherwise every guest
     * restored from it writes them back in its first seconds, and its identity's flush waits for
     * them. A guest that does not is saved as it is, its pages held in the snapshot.
     */
    private void flushGuest(Machine machine, Vmm vmm) {
        try {
            boot.waiter(vmm).agent(machine.instance).sync(SYNC_DEADLINE);
        } catch (RuntimeException e) {
            LOG.warn("golden machine {}: the guest did not sync its disks before the save ({}); saving it as it is",
                    machine.dir, e.getMessage());
        }
    }

    /**
     * Stops the machines being made (the daemon is stopping) and waits, bounded, while their makes fail
     * and clean up after themselves; no make starts a machine after this.
     */
    public void stopAll() {
        stopping = true;
        for (Machine machine : underWay) {
            VmmInstance instance = machine.instance;
            if (instance != null && machine.vmm.isAlive(instance)) {
                machine.vmm.stop(instance, Duration.ZERO);
            }
        }
        // Each make cleans up after itself (its TAP, its directory); the daemon waits for that, a while.
        try {
            Deadline.after(STOP_WAIT).await(underWay::isEmpty, Duration.ofMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refuseWhenStopping() {
        if (stopping) {
            throw VmException.precondition("the daemon is stopping; no snapshot is made now");
        }
    }

    private MachineSpec prepare(Machine machine, Image image, SnapshotShape shape, long diskBytes, Vmm vmm, long n) {
        if (image.workSeed() == null || !Files.isRegularFile(image.workSeed())) {
            throw VmException.precondition("image '" + image.name() + "' has no work seed yet; create a VM from it first");
        }
        VmFiles.makeDir(machine.dir);
        boolean qcow2 = vmm.opensQcow2();
        // Frozen disks must be plain files: an overlay where the backend opens qcow2, else a copy.
        CloneStrategy copy = disks.factsFor(vmm).reflink() ? CloneStrategy.REFLINK : CloneStrategy.SPARSE_COPY;
        CloneStrategy strategy = qcow2 ? CloneStrategy.QCOW2_OVERLAY : copy;
        machine.format = strategy.format();
        ClonedDisk rootDisk = disks.clone(strategy, image.rootfs(), machine.dir.resolve(VmFiles.rootDiskName(machine.format)), 0);
        ClonedDisk workDisk = disks.clone(strategy, image.workSeed(), machine.dir.resolve(VmFiles.workDiskName(machine.format)),
                diskBytes);
        // No VM's settings (the work disk's mount, for images whose guests mount it from their config);
        // a throwaway host key so sshd starts without the guest making keys. Every restored guest gets
        // its own key before anyone can connect.
        Path config = machine.dir.resolve(Machines.CONFIG_FILE);
        try {
            Files.write(config, Machines.unaddressedConfigDrive(image, keys.of(machine.dir).privateKey()));
        } catch (IOException e) {
            throw VmException.failed("cannot make the config drive " + config + ": " + e.getMessage());
        }
        machine.tap = taps.acquire(TapSource.POOL, null);
        taps.detach(machine.tap); // the golden guest has no address and must never be reachable
        MachineSpec spec = Machines.warm(n, machine.dir, shape.vcpus(), shape.memoryMib(), image.kernel(), image.initrd(), vmm,
                rootDisk, workDisk, config, machine.tap);
        if (!spec.bootArgs().equals(shape.bootArgs())) {
            throw VmException.failed("the golden machine's boot arguments '" + spec.bootArgs() + "' are not its shape's '"
                    + shape.bootArgs() + "'");
        }
        return spec;
    }

    private GoldenSnapshot freeze(Machine machine, Image image, SnapshotShape shape, MachineSpec spec, SnapshotFiles files) {
        try {
            for (String name : List.of(VmFiles.rootDiskName(machine.format), VmFiles.workDiskName(machine.format),
                    Machines.CONFIG_FILE)) {
                Path frozen = machine.saved.resolve(name);
                Files.move(machine.dir.resolve(name), frozen, StandardCopyOption.ATOMIC_MOVE);
                Files.setPosixFilePermissions(frozen, PosixFilePermissions.fromString(FROZEN));
            }
            long workBytes = disks.virtualSize(machine.saved.resolve(VmFiles.workDiskName(machine.format)));
            SnapshotMeta meta = new SnapshotMeta(shape, GoldenSnapshots.fingerprint(image), Instant.now(), spec.nic().mac(),
                    machine.format, workBytes, files.memory().isPresent());
            return snapshots.commit(machine.saved, meta);
        } catch (IOException e) {
            throw VmException.failed("cannot freeze the golden machine's disks into " + machine.saved + ": " + e.getMessage());
        }
    }

    private void record(Machine machine) {
        try {
            Files.writeString(machine.dir.resolve(WarmMachines.STATE_FILE),
                    StoredJson.mapper().writeValueAsString(new WarmMachines.Recorded(machine.instance, machine.tap)));
        } catch (IOException e) {
            throw VmException.failed("cannot record the golden machine in " + machine.dir + ": " + e.getMessage());
        }
    }

    private void discard(Machine machine, Vmm vmm) {
        if (machine.instance != null && vmm.isAlive(machine.instance)) {
            try {
                vmm.stop(machine.instance, Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.warn("golden machine {} (pid {}) did not stop: {}", machine.dir, machine.instance.pid(), e.getMessage());
            }
        }
        if (machine.tap != null) {
            try {
                taps.attach(machine.tap);
            } catch (RuntimeException e) {
                LOG.warn("TAP {} did not rejoin the bridge: {}", machine.tap, e.getMessage());
            }
            taps.release("golden machine " + machine.dir.getFileName(), machine.tap);
        }
        VmFiles.deleteTree(machine.dir);
        if (machine.saved != null) {
            snapshots.abandon(machine.saved);
        }
    }

    /** One golden machine under way and what it has taken so far. */
    private static final class Machine {
        final Path dir;
        final Vmm vmm;
        DiskFormat format;
        String tap;
        volatile VmmInstance instance;
        volatile Path saved;

        Machine(Path dir, Vmm vmm) {
            this.dir = dir;
            this.vmm = vmm;
        }
    }
}
