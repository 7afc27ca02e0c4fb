package dev.banger.vm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.banger.capability.WorkDiskCapability;
import dev.banger.guestconfig.ConfigDrive;
import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.host.disk.DiskFormat;
import dev.banger.store.StoredJson;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm pool: machines started paused before any VM asks for them, so that a create takes one
 * instead of starting its VMM (the one host-side stage that cannot be made O(1) otherwise: a QEMU
 * start-up costs tens of milliseconds of CPU, and eight at once hundreds). Each waits in its own
 * directory under {@code <state>/warm/}, with the VM's files already made — a root overlay on the
 * image's rootfs, a work overlay on its seed, an empty {@link ConfigDrive} — and a TAP from the
 * pool. A create takes one of the shape it needs (image files, vCPUs, memory: what cannot change
 * once a VMM runs; a work drive no larger than asked), renames its directory to the VM's, grows the
 * work drive if it asked for more and writes the VM's settings to the config drive before the
 * guest first runs.
 *
 * <p>The pool fills for one shape at a time, the one {@link #want} named last (the default image
 * and size at start, then whatever was created or prepared for last), up to {@code size}
 * machines; machines of another shape, or whose image files changed since they started, are
 * stopped. Filling waits, as the TAP pool's does, until no create is on its host side. Only
 * backends that {@linkplain Vmm#adoptsPausedMachines adopt paused machines} (QEMU) and images
 * whose guests read a config drive get warm machines. Machines do not outlive the daemon:
 * {@link #close} stops them, and {@link #removeLeftovers} stops those a killed daemon left.
 * Thread-safe.
 */
final class WarmMachines implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WarmMachines.class);
    /** What a warm directory records of its machine, so a later daemon can stop it. */
    static final String STATE_FILE = "warm.json";
    static final String ROOT_FILE = "root.qcow2";
    static final String WORK_FILE = "work.qcow2";
    static final String CONFIG_FILE = "config.img";
    static final String CONFIG_DRIVE_ID = "config";
    private static final Duration STOP_GRACE = Duration.ZERO;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(35);

    /**
     * What a machine is made for. Immutable value.
     *
     * @param image     the image's name (for logs)
     * @param kernel    the image's kernel
     * @param initrd    its initramfs, or null
     * @param rootfs    its root file system, the root overlay's base
     * @param workSeed  its work seed, the work overlay's base
     * @param diskBytes the work drive's size; the one part a paused machine can still change (grow)
     */
    record Shape(String image, Path kernel, Path initrd, Path rootfs, Path workSeed, int vcpus, int memoryMib, long diskBytes) {
        Shape {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(kernel, "kernel");
            Objects.requireNonNull(rootfs, "rootfs");
            Objects.requireNonNull(workSeed, "workSeed");
        }

        /** The shape of a create from {@code image}, when the image has a work seed to make the work overlay on. */
        static Optional<Shape> of(dev.banger.model.Image image, int vcpus, int memoryMib, long diskBytes) {
            if (image.workSeed() == null || !Files.isRegularFile(image.workSeed())) {
                return Optional.empty();
            }
            return Optional.of(new Shape(image.name(), image.kernel(), image.initrd(), image.rootfs(), image.workSeed(), vcpus,
                    memoryMib, diskBytes));
        }

        /** Whether a machine of this shape can become a VM of {@code asked}: the same in all but a work drive no larger. */
        boolean fits(Shape asked) {
            return equals(new Shape(asked.image, asked.kernel, asked.initrd, asked.rootfs, asked.workSeed, asked.vcpus,
                    asked.memoryMib, diskBytes)) && diskBytes <= asked.diskBytes;
        }

        /** The image files, which a machine keeps open: a rebuilt image (new files) makes its machines stale. */
        List<Path> files() {
            return initrd == null ? List.of(kernel, rootfs, workSeed) : List.of(kernel, initrd, rootfs, workSeed);
        }

        @Override
        public String toString() {
            return image + " (" + vcpus + " vCPU, " + memoryMib + " MiB, " + (diskBytes >> 20) + " MiB disk)";
        }
    }

    /** A started, paused machine waiting in {@code dir}; {@code stamps} identify the image files it opened. */
    record Machine(Shape shape, Path dir, VmmInstance instance, String tap, List<String> stamps) {}

    /** {@value #STATE_FILE}. */
    record Recorded(VmmInstance instance, String tap) {}

    private final VmHost host;
    private final Path root;
    private final int size;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Machine> idle = new ArrayDeque<>();
    private final AtomicLong serial = new AtomicLong();
    private Shape wanted;
    private boolean stalled;
    private boolean closed;
    private Thread filler;

    /**
     * @param root where warm machines wait ({@code <state>/warm}), or null for a host that never has any
     * @param size how many wait at most; 0 turns the pool off
     */
    WarmMachines(VmHost host, Path root, int size) {
        this.host = host;
        this.root = root;
        this.size = size;
    }

    /** Whether creates can get machines from here: a size above 0 and a backend for new VMs that adopts them. */
    boolean enabled() {
        return size > 0 && host.newVmBackend().map(Vmm::adoptsPausedMachines).orElse(false);
    }

    int size() {
        return enabled() ? size : 0;
    }

    /**
     * Stops the machines a daemon that ended without {@link #close} left behind and removes their
     * directories; their TAPs are then the TAP pool's to adopt. Before {@link #start}; also when
     * the pool is off now (an earlier daemon may have had it on).
     */
    void removeLeftovers() {
        if (root == null || !Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                readRecord(dir).ifPresent(recorded -> {
                    Vmm vmm = host.vmm(recorded.instance().backend());
                    if (vmm.isAlive(recorded.instance())) {
                        vmm.stop(recorded.instance(), STOP_GRACE);
                        LOG.info("stopped the warm machine {} an earlier daemon left (pid {})", dir, recorded.instance().pid());
                    }
                });
                VmCreator.deleteTree(dir);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot clear the warm machines an earlier daemon left in {}: {}", root, e.toString());
        }
    }

    private static Optional<Recorded> readRecord(Path dir) {
        try {
            return Optional.of(StoredJson.mapper().readValue(Files.readString(dir.resolve(STATE_FILE)), Recorded.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // never got as far as a started machine
        }
    }

    /** Starts filling in the background (nothing happens until a shape is {@linkplain #want wanted}). */
    void start() {
        if (!enabled()) {
            return;
        }
        lock.lock();
        try {
            if (filler == null && !closed) {
                filler = Thread.ofVirtual().name("warm-machines").start(this::fill);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The pool fills for {@code shape} from now on; machines of any other shape are stopped. */
    void want(Shape shape) {
        if (!enabled()) {
            return;
        }
        // The backend may have become known after the host started (the first create's KVM test boot).
        start();
        lock.lock();
        try {
            if (!shape.equals(wanted)) {
                LOG.info("warm machines now for {}", shape);
            }
            wanted = shape;
            stalled = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A waiting machine that {@linkplain Shape#fits fits} {@code shape} and whose image files are
     * still the ones it opened, taken out of the pool (which refills); empty when there is none. The
     * caller owns it: {@link #moveInto}, or {@link #discard}.
     */
    Optional<Machine> claim(Shape shape) {
        List<Machine> stale = new ArrayList<>();
        Optional<Machine> taken = Optional.empty();
        List<String> current = stamps(shape); // file system calls: once, and outside the lock
        lock.lock();
        try {
            stalled = false;
            for (var it = idle.iterator(); it.hasNext() && taken.isEmpty(); ) {
                Machine machine = it.next();
                if (!machine.shape().fits(shape)) {
                    continue;
                }
                it.remove();
                if (current.equals(machine.stamps())) {
                    taken = Optional.of(machine);
                } else {
                    stale.add(machine);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        stale.forEach(machine -> {
            LOG.info("warm machine {} is stale: the files of image {} changed since it started", machine.dir(), shape.image());
            discard(machine);
        });
        return taken;
    }

    /**
     * Renames a claimed machine's directory to {@code vmDir} (which must not exist) and returns its
     * instance there. On failure the machine is discarded.
     */
    VmmInstance moveInto(Machine machine, Path vmDir) {
        Vmm vmm = host.vmm(machine.instance().backend());
        try {
            Files.createDirectories(vmDir.getParent());
            Files.move(machine.dir(), vmDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            discard(machine);
            throw VmException.failed("cannot move the warm machine " + machine.dir() + " to " + vmDir + ": " + e);
        }
        VmCreator.deleteQuietly(vmDir.resolve(STATE_FILE));
        try {
            return vmm.moved(machine.instance(), vmDir);
        } catch (RuntimeException e) {
            discard(new Machine(machine.shape(), vmDir, machine.instance(), machine.tap(), machine.stamps()));
            throw e;
        }
    }

    /**
     * Stops the waiting machines of {@code image}, whose files were deleted or rebuilt: they hold
     * the old files open. The pool stops filling for it when its files are gone, else refills with
     * the new ones.
     */
    void retire(String image) {
        List<Machine> retired = new ArrayList<>();
        lock.lock();
        try {
            for (var it = idle.iterator(); it.hasNext(); ) {
                Machine machine = it.next();
                if (machine.shape().image().equals(image)) {
                    it.remove();
                    retired.add(machine);
                }
            }
            if (wanted != null && wanted.image().equals(image) && !Files.exists(wanted.rootfs())) {
                wanted = null;
            }
            stalled = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        retired.forEach(this::discard);
    }

    /** Stops a machine, gives its TAP back and removes its directory. */
    void discard(Machine machine) {
        try {
            host.vmm(machine.instance().backend()).stop(machine.instance(), STOP_GRACE);
        } catch (RuntimeException e) {
            LOG.warn("warm machine {} (pid {}) did not stop: {}", machine.dir(), machine.instance().pid(), e.getMessage());
        }
        host.releaseTap("warm machine " + machine.dir().getFileName(), machine.tap());
        VmCreator.deleteTree(machine.dir());
    }

    /** How many machines of the wanted shape wait. */
    int idleCount() {
        lock.lock();
        try {
            return (int) matching();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@link #size} machines of the wanted shape wait.
     *
     * @return true when they do (at once when the pool is off or nothing is wanted); false at the
     *         deadline, when the pool closed, or as soon as a start failed
     */
    boolean awaitWarm(Duration timeout) throws InterruptedException {
        if (!enabled()) {
            return true;
        }
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (wanted != null && matching() < size) {
                if (closed || stalled || remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Machines of the wanted shape; with the lock held. */
    private long matching() {
        return idle.stream().filter(m -> m.shape().equals(wanted)).count();
    }

    private void fill() {
        while (true) {
            Shape shape;
            List<Machine> retired = new ArrayList<>();
            lock.lock();
            try {
                while (!closed && (wanted == null || stalled || (matching() >= size && idle.size() == matching()))) {
                    changed.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                shape = wanted;
                for (var it = idle.iterator(); it.hasNext(); ) {
                    Machine machine = it.next();
                    if (!machine.shape().equals(shape)) {
                        it.remove();
                        retired.add(machine);
                    }
                }
            } finally {
                lock.unlock();
            }
            retired.forEach(this::discard);
            if (!retired.isEmpty()) {
                continue;
            }
            // Like the TAP pool's refills: a start-up costs a core for tens of milliseconds, which
            // the host side of creates under way needs more.
            host.guestStart().awaitQuiet();
            Machine started;
            try {
                started = startOne(shape);
            } catch (RuntimeException e) {
                LOG.warn("cannot start a warm machine for {}: {}; creates start their own until the next create", shape,
                        e.getMessage());
                lock.lock();
                try {
                    stalled = true;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                continue;
            }
            boolean keep;
            lock.lock();
            try {
                keep = !closed && shape.equals(wanted) && matching() < size;
                if (keep) {
                    idle.addLast(started);
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (!keep) {
                discard(started);
            }
        }
    }

    /** Makes the machine's files, takes a TAP and starts the machine paused; on failure undoes all of it. */
    private Machine startOne(Shape shape) {
        Vmm vmm = host.newVmBackend().orElseThrow(() -> VmException.precondition("no backend for new VMs"));
        long n = serial.incrementAndGet();
        Path dir = root.resolve(System.currentTimeMillis() + "-" + n);
        List<String> stamps = stamps(shape);
        VmCreator.makeDir(dir);
        String tap = null;
        VmmInstance instance = null;
        try {
            // qcow2 overlays: O(1) to make, and the work drive can be grown to the VM's size while paused.
            ClonedDisk rootDisk = host.disks().clone(CloneStrategy.QCOW2_OVERLAY, shape.rootfs(), dir.resolve(ROOT_FILE), 0);
            ClonedDisk workDisk = host.disks().clone(CloneStrategy.QCOW2_OVERLAY, shape.workSeed(), dir.resolve(WORK_FILE),
                    shape.diskBytes());
            Path config = Files.write(dir.resolve(CONFIG_FILE), new byte[ConfigDrive.SIZE]);
            tap = host.acquireTap(null);
            List<MachineSpec.Drive> drives = List.of(
                    new MachineSpec.Drive("root", rootDisk.path(), rootDisk.format(), false),
                    new MachineSpec.Drive(WorkDiskCapability.DRIVE_ID, workDisk.path(), workDisk.format(), false),
                    new MachineSpec.Drive(CONFIG_DRIVE_ID, config, DiskFormat.RAW, true, ConfigDrive.SERIAL));
            // The guest sets the VM's own MAC from the config drive; this one only has to be unique meanwhile.
            String mac = String.format("02:b9:%02x:%02x:%02x:%02x", (n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
            MachineSpec spec = new MachineSpec("warm-" + n, dir, shape.vcpus(), shape.memoryMib(), shape.kernel(), shape.initrd(),
                    String.join(" ", Machines.kernelLine(vmm.name()).baseArgs()), drives, new MachineSpec.Nic(tap, mac),
                    3, 0);
            instance = vmm.startPaused(spec);
            Files.writeString(dir.resolve(STATE_FILE), StoredJson.mapper().writeValueAsString(new Recorded(instance, tap)));
            LOG.debug("warm machine {} for {}: pid {}", dir.getFileName(), shape, instance.pid());
            return new Machine(shape, dir, instance, tap, stamps);
        } catch (IOException | RuntimeException e) {
            if (instance != null) {
                vmm.stop(instance, STOP_GRACE);
            }
            if (tap != null) {
                host.releaseTap("warm machine " + dir.getFileName(), tap);
            }
            VmCreator.deleteTree(dir);
            if (e instanceof JsonProcessingException json) {
                throw VmException.failed("cannot record warm machine " + dir + ": " + json.getOriginalMessage());
            }
            throw e instanceof RuntimeException runtime ? runtime
                    : VmException.failed("cannot make the config drive of warm machine " + dir + ": " + e.getMessage());
        }
    }

    /** The root disk of a machine that became the VM in {@code vmDir}. */
    static ClonedDisk rootDisk(Path vmDir) {
        Path file = vmDir.resolve(ROOT_FILE);
        return new ClonedDisk(CloneStrategy.QCOW2_OVERLAY, file, DiskFormat.QCOW2, file, Optional.empty());
    }

    /** Identity of each image file (inode and change time), so a replaced file is noticed. */
    private static List<String> stamps(Shape shape) {
        List<String> stamps = new ArrayList<>();
        for (Path file : shape.files()) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                stamps.add(attributes.fileKey() + "@" + attributes.lastModifiedTime().toMillis());
            } catch (IOException e) {
                stamps.add(file + " missing");
            }
        }
        return List.copyOf(stamps);
    }

    /** Stops filling and stops every waiting machine, giving its TAP back. */
    @Override
    public void close() {
        Thread thread;
        List<Machine> left;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            thread = filler;
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                // A start in flight ends within QEMU's own launch bounds; the filler then discards it.
                if (!thread.join(CLOSE_WAIT)) {
                    LOG.warn("the warm machine filler did not end within {} s", CLOSE_WAIT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            left = List.copyOf(idle);
            idle.clear();
        } finally {
            lock.unlock();
        }
        left.forEach(this::discard);
    }
}
