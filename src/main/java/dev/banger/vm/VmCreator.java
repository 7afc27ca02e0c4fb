package dev.banger.vm;

import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.CloneStrategyChooser;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.host.disk.DiskRole;
import dev.banger.image.ImageCatalog;
import dev.banger.model.HealthReport;
import dev.banger.model.Image;
import dev.banger.model.StageRunner;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import dev.banger.store.Ipv4Subnet;
import dev.banger.store.NewVm;
import dev.banger.store.VmRepository;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The create pipeline: allocate, root disk, work disk, network, capabilities, VMM start, boot,
 * sshd, services — each a timed stage. Every stage that changes something pushes its undo; when a
 * later stage fails the undos run newest first, the stages are marked rolled back, and the VM's
 * row goes last, so nothing half-made remains. The runtime record is written after each host
 * change, so a daemon killed mid-create leaves enough behind for reconcile to undo it.
 * Thread-safe: concurrent creates of different VMs share nothing but the host services.
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
    private final BootDeadlines deadlines;

    private final int agentPort;
    private final int sshPort;

    VmCreator(VmRepository vms, ImageCatalog images, VmHost host, Machines machines, int agentPort, int sshPort, VmDirs dirs,
            Ipv4Subnet subnet, BootDeadlines deadlines) {
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

    /** A stage's undo. */
    private record Undo(String stage, Runnable action) {}

    Vm create(CreatePlan plan, StageRunner stages) {
        Deque<Undo> undos = new ArrayDeque<>();
        String name = plan.name();
        Vmm vmm = host.vmm(plan.vmm());
        RecordedRuntime runtime = new RecordedRuntime(name, VmRuntime.empty(dirs.of(name)));
        try {
            stages.run("validate", () -> {
                if (vms.find(name).isPresent()) {
                    throw VmException.conflict("a VM named '" + name + "' already exists");
                }
            });
            Vm vm = stages.call("allocate", () -> {
                Vm created = vms.create(new NewVm(name, plan.image().name(), plan.vcpus(), plan.memoryMib(), plan.diskBytes(),
                        plan.vmm()), subnet);
                undos.push(new Undo("allocate", () -> vms.delete(name)));
                makeDir(runtime.get().vmDir());
                undos.push(new Undo("allocate", () -> deleteTree(runtime.get().vmDir())));
                runtime.record(runtime.get(), null);
                return created;
            });
            stages.run("root-disk", () -> {
                ClonedDisk root = cloneRoot(vmm, plan.image(), runtime.get().vmDir());
                undos.push(new Undo("root-disk", () -> host.disks().remove(root)));
                runtime.record(runtime.get().withRootDisk(root), null);
            });
            stages.run("work-disk", () -> {
                Path work = cloneWork(vmm, plan.image(), runtime.get().vmDir(), plan.diskBytes());
                undos.push(new Undo("work-disk", () -> deleteQuietly(work)));
                runtime.record(runtime.get().withWorkDisk(work), null);
            });
            stages.run("network", () -> {
                String tap = host.taps().acquire();
                undos.push(new Undo("network", () -> host.taps().release(tap)));
                runtime.record(runtime.get().withTap(tap), null);
            });
            MachineSpec spec = stages.call("capabilities", () -> {
                machines.prepare(machines.context(vm, runtime.get()));
                undos.push(new Undo("capabilities", () -> machines.teardown(machines.context(vm, runtime.get()))));
                return machines.spec(vm, plan.image(), runtime.get());
            });
            VmmInstance instance = stages.call("vmm-start", () -> {
                VmmInstance started = vmm.start(spec);
                undos.push(new Undo("vmm-start", () -> vmm.stop(started, Duration.ofSeconds(5))));
                runtime.record(runtime.get().withInstance(started), started.pid());
                return started;
            });
            BootWaiter boot = new BootWaiter(vmm, agentPort, sshPort);
            stages.run("boot", () -> boot.awaitAgent(name, instance, deadlines.agent()));
            // sshd only runs once the host keys exist, so this report carries them.
            HealthReport withSsh = stages.call("sshd", () -> boot.awaitSsh(name, instance, vm.network().ip(), deadlines.sshd()));
            stages.run("services", () -> {
                if (!plan.services().isEmpty()) {
                    boot.awaitServices(name, instance, plan.services(), deadlines.services());
                }
            });
            return vms.recordLifecycle(name, VmState.RUNNING, instance.pid(), runtime.get().withHostKeys(withSsh.hostKeys()).toJson());
        } catch (RuntimeException e) {
            rollBack(name, undos, stages);
            throw e;
        }
    }

    private void rollBack(String name, Deque<Undo> undos, StageRunner stages) {
        Set<String> undone = new LinkedHashSet<>();
        while (!undos.isEmpty()) {
            Undo undo = undos.pop();
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

    private ClonedDisk cloneRoot(Vmm vmm, Image image, Path vmDir) {
        CloneStrategy strategy = CloneStrategyChooser.choose(host.diskFacts(vmm), DiskRole.ROOT);
        String file = strategy.format() == MachineSpec.DiskFormat.QCOW2 ? "root.qcow2" : "root.img";
        return host.disks().clone(strategy, image.rootfs(), vmDir.resolve(file), 0);
    }

    /** The work disk: a clone of the image's seed (made first, the slow way, if the image has none), grown to size. */
    private Path cloneWork(Vmm vmm, Image image, Path vmDir, long bytes) {
        Image seeded = image.workSeed() != null && Files.isRegularFile(image.workSeed()) ? image : images.ensureWorkSeed(image.name());
        CloneStrategy strategy = CloneStrategyChooser.choose(host.diskFacts(vmm), DiskRole.WORK);
        ClonedDisk work = host.disks().clone(strategy, seeded.workSeed(), vmDir.resolve("work.ext4"), 0);
        try {
            host.ext4().grow(work.file(), bytes);
        } catch (RuntimeException e) {
            deleteQuietly(work.file());
            throw e;
        }
        return work.file();
    }

    /**
     * The runtime of the VM being created, written to its row after every host change, so a daemon
     * killed mid-create leaves reconcile the full list of what to undo. One create owns it.
     */
    private final class RecordedRuntime {
        private final String vm;
        private VmRuntime current;

        RecordedRuntime(String vm, VmRuntime initial) {
            this.vm = vm;
            this.current = initial;
        }

        VmRuntime get() {
            return current;
        }

        void record(VmRuntime next, Long pid) {
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
