package dev.banger.vm.warm;

import dev.banger.guestconfig.ConfigDrive;
import dev.banger.host.FilledPool;
import dev.banger.vm.boot.Machines;
import dev.banger.vm.host.Backends;
import dev.banger.vm.host.GuestStartGate;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.host.VmDisks;
import dev.banger.vm.snapshot.GoldenSnapshot;
import dev.banger.vm.state.VmException;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm pool: machines started paused before any VM asks for them, so that a create takes one
 * instead of starting its VMM, the one host-side stage that cannot be made O(1) otherwise. Each
 * waits in its own directory under {@code <state>/warm/}, with the VM's files already made — a
 * root overlay on the image's rootfs, a work overlay on its seed, an empty {@link ConfigDrive} —
 * and a TAP from the pool ({@link WarmMachineFactory}). A create takes one of the shape it needs
 * (image files, vCPUs, memory: what cannot change once a VMM runs; a work drive no larger than
 * asked), renames its directory to the VM's, grows the work drive if it asked for more and writes
 * the VM's settings to the config drive before the guest first runs.
 *
 * <p>A {@link FilledPool} fills for one shape at a time, the one {@link #want} named last (the
 * default image and size at start, then whatever was created or prepared for last), up to
 * {@code size} machines; machines of another shape, or whose image files changed since they
 * started, are stopped. Filling waits, as the TAP pool's does, until no create is on its host
 * side. Only backends that {@linkplain Vmm#adoptsPausedMachines adopt paused machines} (QEMU) and
 * images whose guests read a config drive get warm machines. Once a golden snapshot of the shape
 * exists, the pool fills with machines that wait with it loaded instead ({@link WarmShape#restoring}):
 * a create then takes a restored machine as another takes a booting one. Machines do not outlive the daemon:
 * {@link #close} stops them, and {@link #removeLeftovers} stops those a killed daemon left.
 * Thread-safe.
 */
public final class WarmMachines implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WarmMachines.class);
    /** What a warm directory records of its machine, so a later daemon can stop it. */
    public static final String STATE_FILE = "warm.json";
    static final String ROOT_FILE = "root.qcow2";
    public static final String WORK_FILE = "work.qcow2";
    public static final String CONFIG_FILE = Machines.CONFIG_FILE;
    /** A start in flight ends within QEMU's own launch bounds; the filler then discards it. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(35);

    /** A started, paused machine waiting in {@code dir}; {@code stamps} identify the image files it opened. */
    public record Machine(WarmShape shape, Path dir, VmmInstance instance, String tap, List<String> stamps) {}

    /** {@value #STATE_FILE}. */
    public record Recorded(VmmInstance instance, String tap) {}

    private final Backends backends;
    private final WarmMachineFactory factory;
    private final int size;
    private final FilledPool<Machine> pool;
    private volatile WarmShape wanted;

    /**
     * @param root where warm machines wait ({@code <state>/warm}), or null for a host that never has any
     * @param size how many wait at most; 0 turns the pool off
     */
    public WarmMachines(Backends backends, VmDisks disks, HostTaps taps, GuestStartGate guestStart, Path root, int size) {
        this.backends = backends;
        this.factory = new WarmMachineFactory(backends, disks, taps, root);
        this.size = size;
        this.pool = new FilledPool<>("warm-machines", size, guestStart::awaitQuiet, new FilledPool.Source<>() {
            @Override
            public Machine make() {
                WarmShape shape = Objects.requireNonNull(wanted, "no shape is wanted");
                return factory.start(backends.newVmBackend().orElseThrow(() -> VmException.precondition("no backend for new VMs")),
                        shape);
            }

            @Override
            public void discard(Machine machine) {
                factory.discard(machine);
            }
        });
    }

    /** Whether creates can get machines from here: a size above 0 and a backend for new VMs that adopts them. */
    boolean enabled() {
        return size > 0 && backends.newVmBackend().map(Vmm::adoptsPausedMachines).orElse(false);
    }

    public int size() {
        return enabled() ? size : 0;
    }

    /** Stops the machines a daemon that ended without {@link #close} left; before {@link #start}, also when the pool is off now. */
    public void removeLeftovers() {
        factory.removeLeftovers();
    }

    /** Starts filling in the background (nothing happens until a shape is {@linkplain #want wanted}). */
    public void start() {
        if (enabled()) {
            pool.start(List.of());
        }
    }

    /** The pool fills for {@code shape} from now on; machines of any other shape are stopped. */
    public void want(WarmShape shape) {
        if (!enabled()) {
            return;
        }
        // The backend may have become known after the host started (the first create's KVM test boot).
        start();
        if (!shape.equals(wanted)) {
            LOG.info("warm machines now for {}", shape);
        }
        wanted = shape;
        pool.want(machine -> machine.shape().equals(shape));
    }

    /**
     * A waiting machine that {@linkplain WarmShape#fits fits} {@code shape} and whose image files
     * are still the ones it opened, taken out of the pool (which refills); empty when there is
     * none. The caller owns it: {@link #moveInto}, or {@link #discard}.
     */
    public Optional<Machine> claim(WarmShape shape) {
        List<String> current = WarmMachineFactory.stamps(shape); // file system calls: once, and outside the pool's lock
        while (true) {
            Optional<Machine> taken = pool.take(machine -> machine.shape().fits(shape));
            if (taken.isEmpty() || current.equals(taken.get().stamps()) && !(shape.restores() && shape.snapshot().retired())) {
                return taken;
            }
            LOG.info("warm machine {} is stale: the files of image {} or its snapshot changed since it started", taken.get().dir(),
                    shape.image());
            discard(taken.get());
        }
    }

    /** The root disk of a machine that became the VM in {@code vmDir}. */
    public static dev.banger.host.disk.ClonedDisk rootDisk(Path vmDir) {
        return WarmMachineFactory.rootDisk(vmDir);
    }

    /** Renames a claimed machine's directory to {@code vmDir} and returns its instance there; on failure it is discarded. */
    public VmmInstance moveInto(Machine machine, Path vmDir) {
        return factory.moveInto(machine, vmDir);
    }

    /**
     * Stops the waiting machines of {@code image}, whose files were deleted or rebuilt: they hold
     * the old files open. The pool stops filling for it when its files are gone, else refills with
     * the new ones.
     */
    public void retire(String image) {
        WarmShape shape = wanted;
        if (shape != null && shape.image().equals(image) && !Files.exists(shape.rootfs())) {
            wanted = null;
            pool.want(null);
        }
        pool.remove(machine -> machine.shape().image().equals(image)).forEach(this::discard);
    }

    /**
     * Stops the waiting machines restored from a snapshot {@code retired} accepts (retired: no VM may
     * be restored from it any more), and stops filling for it.
     */
    public void retireSnapshots(Predicate<GoldenSnapshot> retired) {
        WarmShape shape = wanted;
        if (shape != null && shape.restores() && retired.test(shape.snapshot())) {
            wanted = null;
            pool.want(null);
        }
        pool.remove(machine -> machine.shape().restores() && retired.test(machine.shape().snapshot())).forEach(this::discard);
    }

    /** The directories of the snapshots waiting machines were restored from: their frozen disks back the machines' overlays. */
    public Set<Path> snapshotsInUse() {
        WarmShape filling = wanted; // a machine of it may be being made
        return Stream.concat(pool.idle().stream().map(Machine::shape), Stream.ofNullable(filling))
                .filter(WarmShape::restores).map(shape -> shape.snapshot().dir().toAbsolutePath().normalize())
                .collect(Collectors.toSet());
    }

    /** Stops a machine, gives its TAP back and removes its directory. */
    public void discard(Machine machine) {
        factory.discard(machine);
    }

    /** How many machines of the wanted shape wait. */
    public int idleCount() {
        return pool.idleCount();
    }

    /**
     * Waits until {@link #size} machines of the wanted shape wait.
     *
     * @return true when they do (at once when the pool is off or nothing is wanted); false at the
     *         deadline, when the pool closed, or as soon as a start failed
     */
    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        return !enabled() || pool.awaitFull(timeout);
    }

    /** Stops filling and stops every waiting machine, giving its TAP back. */
    @Override
    public void close() {
        pool.close(CLOSE_WAIT);
        pool.drain().forEach(this::discard);
    }
}
