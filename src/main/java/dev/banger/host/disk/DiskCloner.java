package dev.banger.host.disk;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Makes and removes VM disks with one {@link CloneStrategy} each, through {@link HostCommands}
 * (a qcow2 overlay is written in-process by {@link Qcow2Overlay}).
 * A clone that fails midway undoes what it did (a partial file, a loop device, a mapping), so a
 * failed clone leaves nothing behind. {@link #remove} tolerates partial state and retries a busy
 * device-mapper removal with a bounded exponential backoff. Safe for concurrent use on different
 * targets.
 */
public final class DiskCloner {
    static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(50);
    static final Duration BUSY_RETRY_BUDGET = Duration.ofSeconds(5);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(10);
    private static final Set<PosixFilePermission> OVERLAY_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    private final HostCommands host;
    private final InstantSource clock;
    private final Sleeper sleeper;

    public DiskCloner(HostCommands host) {
        this(host, InstantSource.system(), Sleeper.SYSTEM);
    }

    /** With a clock and sleeper of the caller's choosing, so the busy-retry loop can be tested without waiting. */
    public DiskCloner(HostCommands host, InstantSource clock, Sleeper sleeper) {
        this.host = Objects.requireNonNull(host, "host");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Clones {@code base} to {@code target}.
     *
     * @param sizeBytes the clone's size; 0 keeps the base's size. Raw copies are extended sparsely
     *                  to it (grow the file system with {@link Ext4Tool#grow}); an overlay takes
     *                  it, rounded up to 512 bytes as qemu-img does, as its virtual size; a dm
     *                  snapshot cannot be larger than its base
     * @throws DiskException when a path is relative, the base is missing, the target exists, the
     *                       size is smaller than the base (or larger, for a dm snapshot), or a
     *                       step fails (after undoing the earlier steps)
     */
    public ClonedDisk clone(CloneStrategy strategy, Path base, Path target, long sizeBytes) {
        Objects.requireNonNull(strategy, "strategy");
        Path from = DiskArguments.absolute("base image", base);
        Path to = DiskArguments.absolute("clone target", target);
        DiskArguments.nonNegativeSize("clone size", sizeBytes);
        if (!Files.isRegularFile(from)) {
            throw DiskException.precondition("base image " + from + " does not exist or is not a regular file");
        }
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            throw DiskException.conflict("clone target " + to + " already exists; remove it first or pick another path");
        }
        if (to.getParent() == null || !Files.isDirectory(to.getParent())) {
            throw DiskException.precondition("directory of clone target " + to + " does not exist");
        }
        DiskFormat baseFormat = DiskFormat.ofFile(from);
        if (baseFormat == DiskFormat.QCOW2 && strategy != CloneStrategy.QCOW2_OVERLAY) {
            throw DiskException.invalid("a qcow2 base such as " + from + " can only get a qcow2 overlay, not a " + strategy + " clone");
        }
        long baseBytes = baseFormat == DiskFormat.QCOW2 ? Qcow2Overlay.virtualSizeOf(from) : size(from);
        if (sizeBytes != 0 && sizeBytes < baseBytes) {
            throw DiskException.invalid("a clone of " + from + " cannot be smaller than its " + baseBytes
                    + " bytes, asked for " + sizeBytes);
        }
        return switch (strategy) {
            case REFLINK -> copy(List.of("cp", "--reflink=always", from.toString(), to.toString()), strategy, to, baseBytes, sizeBytes);
            case SPARSE_COPY -> copy(List.of("cp", "--sparse=always", from.toString(), to.toString()), strategy, to, baseBytes, sizeBytes);
            case QCOW2_OVERLAY -> overlay(from, baseFormat, to, sizeBytes == 0 ? baseBytes : sizeBytes);
            case DM_SNAPSHOT -> snapshot(from, to, baseBytes, sizeBytes);
        };
    }

    /**
     * Takes a clone out of use without deleting its data: removes a dm snapshot's mapping and
     * detaches its loop devices. Nothing to do for the file strategies. Pieces already gone are
     * skipped; a loop device now backing some other file is left alone.
     */
    public void deactivate(ClonedDisk disk) {
        Objects.requireNonNull(disk, "disk");
        if (disk.snapshot().isEmpty()) {
            return;
        }
        ClonedDisk.DmSnapshot dm = disk.snapshot().get();
        removeMapping(dm.name());
        detachIfOurs(dm.cowLoop(), dm.cowFile());
        detachIfOurs(dm.baseLoop(), dm.baseFile());
    }

    /** {@link #deactivate}, then deletes the clone's own file (never the base); a file already gone is fine. */
    public void remove(ClonedDisk disk) {
        deactivate(disk);
        try {
            Files.deleteIfExists(disk.file());
        } catch (IOException e) {
            throw DiskException.failed("cannot delete disk file " + disk.file(), e);
        }
    }

    /** Gives a qcow2 overlay a larger virtual size; the guest grows its file system into it. */
    /** The size a guest sees: a qcow2 file's virtual size, any other file's length. */
    public static long virtualSize(Path disk) {
        return DiskFormat.ofFile(disk) == DiskFormat.QCOW2 ? Qcow2Overlay.virtualSizeOf(disk) : size(disk);
    }

    public void growOverlay(Path overlay, long sizeBytes) {
        Path file = DiskArguments.absolute("overlay", overlay);
        DiskArguments.nonNegativeSize("overlay size", sizeBytes);
        host.run(Command.of("qemu-img", "resize", "-f", "qcow2", file.toString(), Long.toString(sizeBytes))
                .withTimeout(COMMAND_TIMEOUT));
    }

    private ClonedDisk copy(List<String> argv, CloneStrategy strategy, Path target, long baseBytes, long sizeBytes) {
        try {
            host.run(Command.of(argv).withTimeout(COMMAND_TIMEOUT));
            if (sizeBytes > baseBytes) {
                extend(target, sizeBytes);
            }
        } catch (RuntimeException e) {
            deleteAfterFailure(target, e);
            throw wrap("cannot clone to " + target + " by " + strategy, e);
        }
        return new ClonedDisk(strategy, target, DiskFormat.RAW, target, Optional.empty());
    }

    /**
     * Writes the overlay in-process ({@link Qcow2Overlay}): spawning {@code qemu-img create} was a
     * large part of every VM create's host side (docs/bench.md). The file is created new, never
     * overwritten, with qemu-img's 0644; it is not fsynced, as a create cut short by a crash is
     * rolled back by reconcile.
     */
    private ClonedDisk overlay(Path base, DiskFormat baseFormat, Path target, long virtualBytes) {
        String what = "cannot make a qcow2 overlay of " + base + " at " + target;
        byte[] image;
        FileChannel channel;
        try {
            image = Qcow2Overlay.image(base.toString(), baseFormat, virtualBytes);
            channel = FileChannel.open(target, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OVERLAY_PERMISSIONS));
        } catch (FileAlreadyExistsException e) {
            // Someone else's file appeared since clone() looked: it is not ours to delete.
            throw DiskException.conflict(what + ": " + target + " already exists; remove it first or pick another path");
        } catch (IOException e) {
            throw DiskException.failed(what, e);
        } catch (DiskException e) {
            throw wrap(what, e);
        }
        try (channel) {
            ByteBuffer buffer = ByteBuffer.wrap(image);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            DiskException failure = DiskException.failed(what, e);
            deleteAfterFailure(target, failure);
            throw failure;
        }
        return new ClonedDisk(CloneStrategy.QCOW2_OVERLAY, target, DiskFormat.QCOW2, target, Optional.empty());
    }

    private ClonedDisk snapshot(Path base, Path cow, long baseBytes, long sizeBytes) {
        if (sizeBytes > baseBytes) {
            throw DiskException.invalid("a device-mapper snapshot cannot be larger than its base " + base + " ("
                    + baseBytes + " bytes), asked for " + sizeBytes + "; use a reflink or sparse copy to grow a disk");
        }
        long sectors = DmSnapshotPlanner.sectors(base, baseBytes);
        String name = DmSnapshotPlanner.deviceName(cow);
        // Each completed step pushes its undo; a failure runs them newest first.
        Deque<Runnable> undo = new ArrayDeque<>();
        try {
            createSparse(cow, DmSnapshotPlanner.cowBytes(baseBytes));
            undo.push(() -> deleteFile(cow));
            Path baseLoop = attach(DmSnapshotPlanner.attachBase(base));
            undo.push(() -> detach(baseLoop));
            Path cowLoop = attach(DmSnapshotPlanner.attachCow(cow));
            undo.push(() -> detach(cowLoop));
            host.run(Command.of(DmSnapshotPlanner.create(name, sectors, baseLoop, cowLoop)));
            ClonedDisk.DmSnapshot dm = new ClonedDisk.DmSnapshot(name, base, baseLoop, cow, cowLoop, sectors);
            return new ClonedDisk(CloneStrategy.DM_SNAPSHOT, dm.device(), DiskFormat.RAW, cow, Optional.of(dm));
        } catch (RuntimeException e) {
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (RuntimeException undoFailure) {
                    e.addSuppressed(undoFailure);
                }
            }
            throw wrap("cannot make device-mapper snapshot " + name + " of " + base + " (undone)", e);
        }
    }

    private Path attach(List<String> argv) {
        return DmSnapshotPlanner.requireLoop(host.run(Command.of(argv)).stdout());
    }

    private void detach(Path loop) {
        host.run(Command.of(DmSnapshotPlanner.detach(loop)));
    }

    /** Removes a mapping, retrying while it is busy (udev or a closing VMM still holding it) until the budget is spent. */
    private void removeMapping(String name) {
        Instant deadline = clock.instant().plus(BUSY_RETRY_BUDGET);
        Duration delay = FIRST_RETRY_DELAY;
        int attempts = 0;
        while (true) {
            attempts++;
            CommandResult result = host.exec(Command.of(DmSnapshotPlanner.remove(name)));
            if (result.succeeded() || mappingIsGone(result)) {
                return;
            }
            if (!isBusy(result)) {
                throw DiskException.internal("cannot remove device-mapper device " + name + ": " + describe(result));
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw DiskException.precondition("device-mapper device " + name + " is still busy after " + attempts
                        + " attempts over " + BUSY_RETRY_BUDGET.toSeconds() + " s; find its user with 'dmsetup info "
                        + name + "' and 'fuser -vm " + DmSnapshotPlanner.MAPPER_DIR.resolve(name) + "', stop it, and remove again");
            }
            try {
                sleeper.sleep(delay.compareTo(left) < 0 ? delay : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DiskException.failed("interrupted while removing device-mapper device " + name, e);
            }
            delay = delay.multipliedBy(2);
        }
    }

    private void detachIfOurs(Path loop, Path expectedFile) {
        CommandResult listing = host.exec(Command.of(DmSnapshotPlanner.backingFile(loop)));
        String backing = listing.stdout().strip();
        if (!listing.succeeded() || backing.isEmpty()) {
            return;
        }
        if (backing.endsWith(" (deleted)")) {
            backing = backing.substring(0, backing.length() - " (deleted)".length());
        }
        if (!sameFile(Path.of(backing), expectedFile)) {
            // The number was reused after our loop went away; detaching it would pull another disk.
            return;
        }
        CommandResult detached = host.exec(Command.of(DmSnapshotPlanner.detach(loop)));
        if (!detached.succeeded() && !stderrSays(detached, "no such device")) {
            throw DiskException.internal("cannot detach loop device " + loop + " of " + expectedFile + ": " + describe(detached));
        }
    }

    /** The kernel reports the resolved path, which differs from ours when the state dir sits behind a symlink. */
    private static boolean sameFile(Path reported, Path expected) {
        if (reported.equals(expected)) {
            return true;
        }
        try {
            return Files.isSameFile(reported, expected);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean mappingIsGone(CommandResult result) {
        return stderrSays(result, "not found") || stderrSays(result, "does not exist") || stderrSays(result, "no such device or address");
    }

    private static boolean isBusy(CommandResult result) {
        return stderrSays(result, "busy");
    }

    private static boolean stderrSays(CommandResult result, String words) {
        return result.stderr().toLowerCase(Locale.ROOT).contains(words);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw DiskException.failed("cannot read the size of " + file, e);
        }
    }

    static void extend(Path file, long sizeBytes) {
        // setLength past the end makes a hole: the file grows without writing data.
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (raf.length() < sizeBytes) {
                raf.setLength(sizeBytes);
            }
        } catch (IOException e) {
            throw DiskException.failed("cannot extend " + file + " to " + sizeBytes + " bytes", e);
        }
    }

    private static void createSparse(Path file, long sizeBytes) {
        try {
            Files.createFile(file);
        } catch (IOException e) {
            throw DiskException.failed("cannot create " + file, e);
        }
        try {
            extend(file, sizeBytes);
        } catch (DiskException e) {
            deleteFile(file);
            throw e;
        }
    }

    private static void deleteFile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw DiskException.failed("cannot delete " + file, e);
        }
    }

    private static void deleteAfterFailure(Path target, RuntimeException failure) {
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static String describe(CommandResult result) {
        return "exit " + result.exitCode() + " from " + result.command().display() + ": " + result.stderr().strip();
    }

    private static DiskException wrap(String what, RuntimeException e) {
        return DiskException.wrap(what, e);
    }
}
