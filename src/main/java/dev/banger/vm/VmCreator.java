package dev.banger.vm;

import dev.banger.capability.WorkDiskCapability;
import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.CloneStrategyChooser;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.host.disk.DiskRole;
import dev.banger.image.Ext4Images;
import dev.banger.image.ImageCatalog;
import dev.banger.image.WorkSeeds;
import dev.banger.model.Image;
import dev.banger.model.StageRunner;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import dev.banger.store.Ipv4Subnet;
import dev.banger.store.NewVm;
import dev.banger.store.VmRepository;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The create pipeline: allocate, root disk, work disk, network (these three side by side),
 * capabilities, VMM start, boot, sshd, services — each a timed stage. Every stage that changes something pushes its undo; when a
 * later stage fails the undos run newest first, the stages are marked rolled back, and the VM's
 * row goes last, so nothing half-made remains. The runtime record is written after each host
 * change, so a daemon killed mid-create leaves enough behind for reconcile to undo it. The VMM
 * starts paused; the boot stage lets the guest run once the creates begun alongside have their
 * VMMs started too ({@link GuestStartGate}). A create whose image and size a warm machine waits for
 * takes it at allocate ({@link WarmMachines}): its directory, disks, TAP and paused VMM become the
 * VM's, its work drive is grown if a bigger disk was asked for, and the VM's settings go onto its
 * config drive, so nothing is cloned or started.
 * Thread-safe: concurrent creates of different VMs share nothing but the host services and that gate.
 */
final class VmCreator {
    private static final Logger LOG = LoggerFactory.getLogger(VmCreator.class);
    static final List<String> STAGES = List.of("validate", "allocate", "root-disk", "work-disk", "network", "capabilities",
            "vmm-start", "boot", "sshd", "services");

    private final VmRepository vms;
    private final ImageCatalog images;
    private final VmHost host;
    private final Machines machines;
    private final VmDirs dirs;
    private final Ipv4Subnet subnet;
    private final Function<Acceleration, BootDeadlines> deadlines;

    private final int agentPort;
    private final int sshPort;
    private volatile FaultPoints faults = FaultPoints.NONE;

    VmCreator(VmRepository vms, ImageCatalog images, VmHost host, Machines machines, int agentPort, int sshPort, VmDirs dirs,
            Ipv4Subnet subnet, Function<Acceleration, BootDeadlines> deadlines) {
        this.vms = vms;
        this.images = images;
        this.host = host;
        this.machines = machines;
        this.agentPort = agentPort;
        this.sshPort = sshPort;
        this.dirs = dirs;
        this.subnet = subnet;
        this.deadlines = deadlines;
    }

    void useFaultPoints(FaultPoints points) {
        this.faults = points;
    }

    /** A stage's undo. */
    private record Undo(String stage, Runnable action) {}

    /** The allocate stage's result: the stored VM, and the warm machine it took (or null) with its work drive's size. */
    private record Allocated(Vm vm, VmmInstance warm, long warmDiskBytes) {}

    Vm create(CreatePlan plan, StageRunner stages) {
        // Stages that run side by side push their undos concurrently.
        Deque<Undo> undos = new ConcurrentLinkedDeque<>();
        String name = plan.name();
        Vmm vmm = host.vmm(plan.vmm());
        RecordedRuntime runtime = new RecordedRuntime(name, VmRuntime.empty(dirs.of(name)));
        GuestStartGate.Pass hostSide = host.guestStart().enter();
        Optional<WarmMachines.Shape> shape = plan.mayUseWarmMachine() && vmm.adoptsPausedMachines()
                ? WarmMachines.Shape.of(plan.image(), plan.vcpus(), plan.memoryMib(), plan.diskBytes()) : Optional.empty();
        try {
            stages.run("validate", () -> {
                if (vms.find(name).isPresent()) {
                    throw VmException.conflict("a VM named '" + name + "' already exists");
                }
            });
            Allocated allocated = stages.call("allocate", () -> {
                Vm created = vms.create(new NewVm(name, plan.image().name(), plan.vcpus(), plan.memoryMib(), plan.diskBytes(),
                        plan.vmm()), subnet);
                undos.push(new Undo("allocate", () -> vms.delete(name)));
                Path dir = runtime.get().vmDir();
                Optional<WarmMachines.Machine> claimed = shape.flatMap(host.warm()::claim);
                if (claimed.isEmpty()) {
                    makeDir(dir);
                    undos.push(new Undo("allocate", () -> deleteTree(dir)));
                    runtime.record(r -> r, null);
                    return new Allocated(created, null, 0);
                }
                // A warm machine: its directory becomes the VM's, with its disks, TAP and paused VMM,
                // all recorded at once (the later stages change nothing reconcile would have to undo).
                String tap = claimed.get().tap();
                VmmInstance warm = host.warm().moveInto(claimed.get(), dir);
                undos.push(new Undo("allocate", () -> deleteTree(dir)));
                undos.push(new Undo("allocate", () -> {
                    vmm.stop(warm, Duration.ofSeconds(5));
                    host.releaseTap(name, tap);
                }));
                runtime.record(r -> r.withRootDisk(WarmMachines.rootDisk(dir)).withWorkDisk(dir.resolve(WarmMachines.WORK_FILE))
                        .withTap(tap).withInstance(warm), warm.pid());
                return new Allocated(created, warm, claimed.get().shape().diskBytes());
            });
            Vm vm = allocated.vm();
            VmmInstance warm = allocated.warm();
            shape.ifPresent(host.warm()::want);
            Path vmDir = runtime.get().vmDir();
            // Root disk, work disk and TAP do not depend on each other: made side by side, the
            // host-side total is the slowest of the three rather than their sum.
            Parallel.run(
                    () -> stages.run("root-disk", () -> {
                        if (warm == null) {
                            ClonedDisk root = cloneRoot(vmm, plan, vmDir);
                            undos.push(new Undo("root-disk", () -> host.disks().remove(root)));
                            runtime.record(r -> r.withRootDisk(root), null);
                        }
                    }),
                    () -> stages.run("work-disk", () -> {
                        if (warm != null) {
                            if (allocated.warmDiskBytes() != plan.diskBytes()) {
                                vmm.growDrive(warm, WorkDiskCapability.DRIVE_ID, plan.diskBytes());
                            }
                            return;
                        }
                        Path work = plan.slowPath() ? workFromRootfs(plan, vmDir) : cloneWork(vmm, plan, vmDir);
                        undos.push(new Undo("work-disk", () -> deleteQuietly(work)));
                        runtime.record(r -> r.withWorkDisk(work), null);
                    }),
                    () -> stages.run("network", () -> {
                        // The first VM's NAT rules: begun here, awaited before the boot (NatCapability).
                        host.startNat();
                        if (warm == null) {
                            String tap = host.acquireTap(plan.slowPath() ? "tap-vm-" + vm.network().vsockCid() : null);
                            undos.push(new Undo("network", () -> host.releaseTap(name, tap)));
                            runtime.record(r -> r.withTap(tap), null);
                        }
                    }));
            MachineSpec spec = stages.call("capabilities", () -> {
                machines.prepare(machines.context(vm, runtime.get()));
                undos.push(new Undo("capabilities", () -> machines.teardown(machines.context(vm, runtime.get()))));
                // A warm machine runs already; vmm-start only gives its guest the settings.
                return warm == null ? machines.spec(vm, plan.image(), runtime.get()) : null;
            });
            VmmInstance instance = stages.call("vmm-start", () -> {
                if (warm != null) {
                    writeConfigDrive(vmDir, machines.configDrive(vm, runtime.get()));
                    LOG.info("VM {}: {} pid {} from the warm pool", name, vmm.name(), warm.pid());
                    return warm;
                }
                VmmInstance started = vmm.startPaused(spec);
                undos.push(new Undo("vmm-start", () -> vmm.stop(started, Duration.ofSeconds(5))));
                runtime.record(r -> r.withInstance(started), started.pid());
                return started;
            });
            BootWaiter boot = new BootWaiter(vmm, agentPort, sshPort);
            // False only under the soak's test-only switch (FaultPoints): the host side without a guest boot.
            boolean awaitGuest = !faults.skipsGuestWait(name);
            // What the machine really got (a warm one started earlier); the plan's when the backend does not say.
            Acceleration got = instance.acceleration() != null ? instance.acceleration() : plan.acceleration();
            BootDeadlines deadlines = this.deadlines.apply(got);
            LOG.info("VM {}: runs as {}", name, got.describe(vmm.name()));
            stages.run("boot", () -> {
                if (!hostSide.leaveAndAwaitCohort()) {
                    LOG.info("VM {}: creates begun alongside it are still on their host side after {} ms; its guest runs now",
                            name, VmHost.GUEST_START_HOLD.toMillis());
                }
                machines.awaitReady(machines.context(vm, runtime.get()));
                vmm.resume(instance);
                if (awaitGuest) {
                    boot.awaitAgent(name, instance, deadlines.agent());
                }
            });
            // sshd only runs once the host keys exist, so this report carries them.
            List<String> hostKeys = stages.call("sshd", () -> awaitGuest
                    ? boot.awaitSsh(name, instance, vm.network().ip(), deadlines.sshd()).hostKeys() : List.<String>of());
            stages.run("services", () -> {
                if (awaitGuest && !plan.services().isEmpty()) {
                    boot.awaitServices(name, instance, plan.services(), deadlines.services());
                }
            });
            return vms.recordLifecycle(name, VmState.RUNNING, instance.pid(), runtime.get().withHostKeys(hostKeys).toJson());
        } catch (RuntimeException e) {
            rollBack(name, undos, stages);
            throw e;
        } finally {
            hostSide.leave();
        }
    }

    /**
     * Runs the undos latest pipeline stage first and, within a stage, newest first: the same order
     * whichever of the side-by-side stages happened to finish first.
     */
    private void rollBack(String name, Deque<Undo> undos, StageRunner stages) {
        List<Undo> ordered = new ArrayList<>(undos);
        ordered.sort(Comparator.comparingInt((Undo undo) -> STAGES.indexOf(undo.stage())).reversed());
        Set<String> undone = new LinkedHashSet<>();
        for (Undo undo : ordered) {
            try {
                undo.action().run();
            } catch (RuntimeException e) {
                LOG.error("VM {}: rolling back {} failed: {}; the daemon's reconcile will retry at its next start",
                        name, undo.stage(), e.toString());
            }
            undone.add(undo.stage());
        }
        undone.forEach(stages::rolledBack);
    }

    /** Writes the VM's settings where its warm machine's guest will read them; QEMU has the file open and reads it at boot. */
    private static void writeConfigDrive(Path vmDir, byte[] content) {
        Path drive = vmDir.resolve(WarmMachines.CONFIG_FILE);
        try {
            Files.write(drive, content, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw VmException.failed("cannot write the config drive " + drive + ": " + e.getMessage());
        }
    }

    /** The cheapest copy-on-write clone the backend and host allow; the slow path copies the whole file. */
    private ClonedDisk cloneRoot(Vmm vmm, CreatePlan plan, Path vmDir) {
        CloneStrategy strategy = plan.slowPath() ? CloneStrategy.SPARSE_COPY
                : CloneStrategyChooser.choose(host.diskFacts(vmm), DiskRole.ROOT);
        String file = strategy.format() == MachineSpec.DiskFormat.QCOW2 ? "root.qcow2" : "root.img";
        return host.disks().clone(strategy, plan.image().rootfs(), vmDir.resolve(file), 0);
    }

    /**
     * The work disk: a clone of the image's seed (made first, the slow way, if the image has none).
     * When the guest grows {@code /root} at boot the clone just gets the asked size, which a qcow2
     * overlay or a sparse file takes in O(1); otherwise the host grows the file system.
     */
    private Path cloneWork(Vmm vmm, CreatePlan plan, Path vmDir) {
        Image image = plan.image();
        Image seeded = image.workSeed() != null && Files.isRegularFile(image.workSeed()) ? image : images.ensureWorkSeed(image.name());
        boolean guestGrows = plan.workDiskGrowsInGuest();
        CloneStrategy strategy = CloneStrategyChooser.choose(host.diskFacts(vmm), DiskRole.WORK, guestGrows);
        String file = strategy.format() == MachineSpec.DiskFormat.QCOW2 ? "work.qcow2" : "work.ext4";
        ClonedDisk work = host.disks().clone(strategy, seeded.workSeed(), vmDir.resolve(file), guestGrows ? plan.diskBytes() : 0);
        if (!guestGrows) {
            grow(work.file(), plan.diskBytes());
        }
        return work.file();
    }

    /** The slow path's work disk: {@code /root} copied out of the rootfs into a new file system, grown on the host. */
    private Path workFromRootfs(CreatePlan plan, Path vmDir) {
        Path work = vmDir.resolve("work.ext4");
        Path scratch = vmDir.resolve("work-tree");
        try {
            Files.createDirectories(scratch);
            new WorkSeeds(new Ext4Images(host.commands())).buildFromRootfs(plan.image().rootfs(), scratch, work);
        } catch (IOException e) {
            throw VmException.failed("cannot make the scratch directory " + scratch + ": " + e.getMessage());
        } finally {
            deleteTree(scratch);
        }
        grow(work, plan.diskBytes());
        return work;
    }

    private void grow(Path work, long bytes) {
        try {
            host.ext4().grow(work, bytes);
        } catch (RuntimeException e) {
            deleteQuietly(work);
            throw e;
        }
    }

    /**
     * The runtime of the VM being created, written to its row after every host change, so a daemon
     * killed mid-create leaves reconcile the full list of what to undo. One create owns it; its
     * concurrent stages share it.
     */
    private final class RecordedRuntime {
        private final String vm;
        private VmRuntime current;

        RecordedRuntime(String vm, VmRuntime initial) {
            this.vm = vm;
            this.current = initial;
        }

        synchronized VmRuntime get() {
            return current;
        }

        /** Applies one stage's change and writes the result; stages running side by side each add their own part. */
        synchronized void record(UnaryOperator<VmRuntime> change, Long pid) {
            VmRuntime next = change.apply(current);
            vms.recordLifecycle(vm, VmState.CREATING, pid, next.toJson());
            current = next;
        }
    }

    static void makeDir(Path dir) {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw VmException.failed("cannot create the VM directory " + dir + ": " + e.getMessage());
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", file, e.toString());
        }
    }

    static void deleteTree(Path dir) {
        try {
            dev.banger.host.FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }
}
