package dev.banger.host.disk;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.image.WorkSeedFlattener;
import dev.banger.image.WorkSeedLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Works on ext4 image files with e2fsprogs through {@link HostCommands}: reads the superblock,
 * grows a file system (never shrinks), builds one from a directory tree, and repairs a work disk
 * whose home tree sits under {@code root/}. The image must not be in use by a VM or mounted.
 * Safe for concurrent use on different images.
 */
public final class Ext4Tool {
    /** C locale and UTC, so dumpe2fs prints dates {@link Ext4Superblock#parse} can read. */
    private static final Map<String, String> STABLE_OUTPUT = Map.of("LC_ALL", "C", "TZ", "UTC");
    private static final Duration LONG_TIMEOUT = Duration.ofMinutes(10);
    /** e2fsck exit codes up to 2 mean "clean" or "fixed"; 4 and above mean it stopped. */
    private static final int FSCK_FIXED_LIMIT = 2;
    /** Where a nested work disk keeps the home tree (WorkSeedLayout's own constant is package-private). */
    private static final String NESTED_DIR = "root";

    private final HostCommands host;

    public Ext4Tool(HostCommands host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /** The image's superblock, from {@code dumpe2fs -h}. */
    public Ext4Superblock superblock(Path image) {
        Path file = existingImage(image);
        CommandResult result = host.run(Command.of("dumpe2fs", "-h", file.toString()).withEnv(STABLE_OUTPUT));
        return Ext4Superblock.parse(result.stdout());
    }

    /** The file system's size in bytes (block count × block size), which can lag behind the file's size. */
    public long sizeOf(Path image) {
        return superblock(image).sizeBytes();
    }

    public long blockCount(Path image) {
        return superblock(image).blockCount();
    }

    /**
     * Grows the image file to {@code sizeBytes} (sparsely) and its file system to fill it:
     * {@code e2fsck -f -p} first when resize2fs would demand it, then {@code resize2fs}. Growing
     * to the current size does nothing.
     *
     * @throws DiskException when asked to shrink (nothing is changed), when e2fsck finds damage it
     *                       will not fix unattended (nothing is changed), or when resize2fs fails
     *                       (the file stays extended; growing again finishes the job)
     */
    public void grow(Path image, long sizeBytes) {
        Path file = existingImage(image);
        if (sizeBytes <= 0) {
            throw DiskException.invalid("size to grow " + file + " to must be positive, got " + sizeBytes);
        }
        long current = fileSize(file);
        if (sizeBytes < current) {
            throw DiskException.invalid("refusing to shrink " + file + " from " + current + " to " + sizeBytes
                    + " bytes: work disks only grow; nothing was changed");
        }
        Ext4Superblock before = superblock(file);
        if (sizeBytes < before.sizeBytes()) {
            throw DiskException.invalid("refusing to shrink the file system in " + file + " from " + before.sizeBytes()
                    + " to " + sizeBytes + " bytes; nothing was changed");
        }
        long wantedBlocks = sizeBytes / before.blockSize();
        if (current == sizeBytes && before.blockCount() == wantedBlocks) {
            return;
        }
        // -p rather than -y (the two exclude each other): preen fixes only what is safe and stops
        // on anything that needs a human, which is right for a user's /root.
        if (before.needsCheckBeforeResize()) {
            check(file);
        }
        DiskCloner.extend(file, sizeBytes);
        host.run(Command.of("resize2fs", file.toString()).withTimeout(LONG_TIMEOUT));
    }

    /**
     * Makes a new ext4 image of {@code sizeBytes} holding the tree at {@code dir} (for images
     * without a work seed). No loop mount is needed.
     *
     * @throws DiskException when the image exists already, the size is not a positive whole
     *                       number of KiB, or mkfs fails (the partial image is removed)
     */
    public void buildFromTree(Path dir, Path image, long sizeBytes) {
        Path tree = DiskArguments.absolute("work tree", dir);
        Path file = DiskArguments.absolute("image", image);
        if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
            throw DiskException.precondition("work tree " + tree + " is not a directory");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw DiskException.conflict("image " + file + " already exists; remove it first or pick another path");
        }
        if (sizeBytes <= 0 || sizeBytes % 1024 != 0) {
            throw DiskException.invalid("image size must be a positive multiple of 1024 bytes, got " + sizeBytes);
        }
        try {
            host.run(Command.of("mkfs.ext4", "-q", "-F", "-d", tree.toString(), file.toString(), (sizeBytes / 1024) + "k")
                    .withTimeout(LONG_TIMEOUT));
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw DiskException.wrap("cannot build " + file + " from " + tree, e);
        }
    }

    /**
     * Flattens a work disk whose home tree was left under {@code root/} (an old seed layout), so
     * the guest finds {@code .bashrc} at {@code /root/.bashrc}. Detects with debugfs (read-only);
     * only a nested disk is loop-mounted, flattened with {@link WorkSeedFlattener}, and unmounted
     * whatever happens.
     *
     * @return whether anything was moved; false for a flat (or empty) disk, which is not even mounted
     * @throws dev.banger.image.ImageException when the layout is ambiguous (see {@link WorkSeedLayout#classify})
     * @throws DiskException when the image cannot be read, mounted or unmounted
     */
    public boolean repairNestedLayout(Path ext4Image) {
        Path file = existingImage(ext4Image);
        DebugfsListing top = list(file, "/");
        Set<String> nested = top.hasDirectory(NESTED_DIR)
                ? list(file, "/" + NESTED_DIR).names()
                : Set.of();
        if (WorkSeedLayout.classify(WorkSeedLayout.Listing.of(top.names(), nested)) == WorkSeedLayout.Kind.FLAT) {
            return false;
        }
        Path mountPoint = tempDir();
        try {
            host.run(Command.of("mount", "-o", "loop,nosuid,nodev,noexec", file.toString(), mountPoint.toString()));
            RuntimeException failure = null;
            try {
                return !WorkSeedFlattener.flatten(mountPoint).isEmpty();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                unmount(mountPoint, failure);
            }
        } finally {
            try {
                Files.deleteIfExists(mountPoint);
            } catch (IOException e) {
                // Still a mount point (the unmount failure is already being reported); nothing to add.
            }
        }
    }

    private void unmount(Path mountPoint, RuntimeException failure) {
        try {
            host.run(Command.of("umount", mountPoint.toString()));
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                throw DiskException.wrap("flattened the work disk but cannot unmount " + mountPoint
                        + "; unmount it by hand ('umount " + mountPoint + "')", e);
            }
        }
    }

    private DebugfsListing list(Path image, String dir) {
        // The directory is one of two constants, never input: nothing reaches debugfs's command parser.
        CommandResult result = host.run(Command.of("debugfs", "-R", "ls -p " + dir, image.toString()));
        return DebugfsListing.parse(dir + " in " + image, result.stdout(), result.stderr());
    }

    private void check(Path file) {
        CommandResult result = host.exec(Command.of("e2fsck", "-f", "-p", file.toString()).withTimeout(LONG_TIMEOUT));
        if (result.exitCode() > FSCK_FIXED_LIMIT || result.exitCode() < 0) {
            String said = (result.stderr().isBlank() ? result.stdout() : result.stderr()).strip();
            throw DiskException.precondition("e2fsck -f -p stopped on " + file + " (exit " + result.exitCode() + "): " + said
                    + "; run 'e2fsck -f " + file + "' by hand, then grow again");
        }
    }

    private static Path existingImage(Path image) {
        Path file = DiskArguments.absolute("image", image);
        if (!Files.isRegularFile(file)) {
            throw DiskException.precondition("image " + file + " does not exist or is not a regular file");
        }
        return file;
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw DiskException.failed("cannot read the size of " + file, e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("banger-workdisk-");
        } catch (IOException e) {
            throw DiskException.failed("cannot make a temporary mount point", e);
        }
    }
}
