package dev.banger.vm.warm;

import dev.banger.host.disk.DiskFormat;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.banger.guestconfig.ConfigDrive;
import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.store.StoredJson;
import dev.banger.vm.boot.Machines;
import dev.banger.vm.host.Backends;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.host.TapSource;
import dev.banger.vm.host.VmDisks;
import dev.banger.vm.snapshot.GoldenSnapshot;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmFiles;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes, moves and discards single warm machines for {@link WarmMachines}: a directory under
 * {@code <state>/warm/} with a root overlay on the image's rootfs, a work overlay on its seed
 * (qcow2: O(1) to make, and growable while paused), an empty config drive, a TAP, and the machine
 * started paused from {@link Machines#warm}'s spec; or, for a shape that {@linkplain WarmShape#restores
 * restores}, overlays on the snapshot's frozen disks and the snapshot loaded, paused, on a TAP kept off
 * the bridge ({@link Machines#warmRestored}). Each records itself in {@value WarmMachines#STATE_FILE}
 * so a later daemon can stop what a killed one left. Thread-safe.
 */
final class WarmMachineFactory {
    private static final Logger LOG = LoggerFactory.getLogger(WarmMachineFactory.class);
    private static final Duration STOP_GRACE = Duration.ZERO;

    private final Backends backends;
    private final VmDisks disks;
    private final HostTaps taps;
    private final Path root;
    private final AtomicLong serial = new AtomicLong();

    WarmMachineFactory(Backends backends, VmDisks disks, HostTaps taps, Path root) {
        this.backends = backends;
        this.disks = disks;
        this.taps = taps;
        this.root = root;
    }

    /** Makes the machine's files, takes a TAP and starts the machine paused; on failure undoes all of it. */
    public WarmMachines.Machine start(Vmm vmm, WarmShape shape) {
        long n = serial.incrementAndGet();
        Path dir = root.resolve(System.currentTimeMillis() + "-" + n);
        List<String> stamps = stamps(shape);
        VmFiles.makeDir(dir);
        String tap = null;
        VmmInstance instance = null;
        try {
            GoldenSnapshot snapshot = shape.snapshot();
            ClonedDisk rootDisk = disks.clone(CloneStrategy.QCOW2_OVERLAY, snapshot == null ? shape.rootfs() : snapshot.rootDisk(),
                    dir.resolve(WarmMachines.ROOT_FILE), 0);
            ClonedDisk workDisk = disks.clone(CloneStrategy.QCOW2_OVERLAY, snapshot == null ? shape.workSeed() : snapshot.workDisk(),
                    dir.resolve(WarmMachines.WORK_FILE), shape.diskBytes());
            Path config = Files.write(dir.resolve(WarmMachines.CONFIG_FILE), new byte[ConfigDrive.SIZE]);
            tap = taps.acquire(TapSource.POOL, null);
            if (snapshot == null) {
                instance = vmm.startPaused(Machines.warm(n, dir, shape.vcpus(), shape.memoryMib(), shape.kernel(), shape.initrd(),
                        vmm, rootDisk, workDisk, config, tap));
            } else {
                // The restored guest still has the snapshot's MAC: off the bridge until it takes the VM's own.
                taps.detach(tap);
                instance = vmm.restorePaused(Machines.warmRestored(n, dir, shape.kernel(), shape.initrd(), snapshot, rootDisk, workDisk,
                        config, tap), snapshot.files());
            }
            Files.writeString(dir.resolve(WarmMachines.STATE_FILE),
                    StoredJson.mapper().writeValueAsString(new WarmMachines.Recorded(instance, tap)));
            LOG.debug("warm machine {} for {}: pid {}", dir.getFileName(), shape, instance.pid());
            return new WarmMachines.Machine(shape, dir, instance, tap, stamps);
        } catch (IOException | RuntimeException e) {
            if (instance != null) {
                vmm.stop(instance, STOP_GRACE);
            }
            release(dir, tap, shape);
            VmFiles.deleteTree(dir);
            if (e instanceof JsonProcessingException json) {
                throw VmException.failed("cannot record warm machine " + dir + ": " + json.getOriginalMessage());
            }
            throw e instanceof RuntimeException runtime ? runtime
                    : VmException.failed("cannot make the config drive of warm machine " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Renames a claimed machine's directory to {@code vmDir} (which must not exist) and returns its
     * instance there. On failure the machine is discarded.
     */
    public VmmInstance moveInto(WarmMachines.Machine machine, Path vmDir) {
        Vmm vmm = backends.vmm(machine.instance().backend());
        try {
            Files.createDirectories(vmDir.getParent());
            Files.move(machine.dir(), vmDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            discard(machine);
            throw VmException.failed("cannot move the warm machine " + machine.dir() + " to " + vmDir + ": " + e);
        }
        VmFiles.deleteQuietly(vmDir.resolve(WarmMachines.STATE_FILE));
        try {
            return vmm.moved(machine.instance(), vmDir);
        } catch (RuntimeException e) {
            discard(new WarmMachines.Machine(machine.shape(), vmDir, machine.instance(), machine.tap(), machine.stamps()));
            throw e;
        }
    }

    /** Stops a machine, gives its TAP back and removes its directory. */
    public void discard(WarmMachines.Machine machine) {
        try {
            backends.vmm(machine.instance().backend()).stop(machine.instance(), STOP_GRACE);
        } catch (RuntimeException e) {
            LOG.warn("warm machine {} (pid {}) did not stop: {}", machine.dir(), machine.instance().pid(), e.getMessage());
        }
        release(machine.dir(), machine.tap(), machine.shape());
        VmFiles.deleteTree(machine.dir());
    }

    private void release(Path dir, String tap, WarmShape shape) {
        if (tap != null && shape.restores()) {
            taps.attach(tap); // back on the bridge, as the TAP pool hands its TAPs out
        }
        taps.release("warm machine " + dir.getFileName(), tap);
    }

    /**
     * Stops the machines a daemon that ended without closing the pool left behind and removes
     * their directories; their TAPs are then the TAP pool's to adopt.
     */
    public void removeLeftovers() {
        if (root == null || !Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                readRecord(dir).ifPresent(recorded -> {
                    Vmm vmm = backends.vmm(recorded.instance().backend());
                    if (vmm.isAlive(recorded.instance())) {
                        vmm.stop(recorded.instance(), STOP_GRACE);
                        LOG.info("stopped the warm machine {} an earlier daemon left (pid {})", dir, recorded.instance().pid());
                    }
                });
                VmFiles.deleteTree(dir);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot clear the warm machines an earlier daemon left in {}: {}", root, e.toString());
        }
    }

    private static Optional<WarmMachines.Recorded> readRecord(Path dir) {
        try {
            return Optional.of(StoredJson.mapper().readValue(Files.readString(dir.resolve(WarmMachines.STATE_FILE)),
                    WarmMachines.Recorded.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // never got as far as a started machine
        }
    }

    /** The root disk of a machine that became the VM in {@code vmDir}. */
    public static ClonedDisk rootDisk(Path vmDir) {
        Path file = vmDir.resolve(WarmMachines.ROOT_FILE);
        return new ClonedDisk(CloneStrategy.QCOW2_OVERLAY, file, DiskFormat.QCOW2, file, Optional.empty());
    }

    /** Identity of each image file (inode and change time), so a replaced file is noticed. */
    static List<String> stamps(WarmShape shape) {
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
}
