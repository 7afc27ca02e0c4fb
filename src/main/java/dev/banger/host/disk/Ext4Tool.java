package dev.banger.host.disk;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Works on ext4 image files with e2fsprogs through {@link HostCommands}: reads the superblock,
 * grows a file system (never shrinks), builds one from a directory tree, lists a directory without
 * mounting, and lends a loop mount to work that must see the files. The image must not be in use by
 * a VM or mounted. What a work disk's files should look like is {@code image}'s business, not this class's.
 * Safe for concurrent use on different images.
 */
public final class Ext4Tool {
    /** C locale and UTC, so dumpe2fs prints dates {@link Ext4Superblock#parse} can read. */
    private static final Map<String, String> STABLE_OUTPUT = Map.of("LC_ALL", "C", "TZ", "UTC");
    private static final Duration LONG_TIMEOUT = Duration.ofMinutes(10);
    /** e2fsck exit codes up to 2 mean "clean" or "fixed"; 4 and above mean it stopped. */
    private static final int FSCK_FIXED_LIMIT = 2;
    /** Directories {@link #list} passes to debugfs's own command parser: plain absolute paths only. */
    private static final Pattern PLAIN_DIR = Pattern.compile("/[A-Za-z0-9._+-]*(/[A-Za-z0-9._+-]+)*");

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
     * The names in {@code dir} (other than {@code .} and {@code ..}) and which of them are
     * directories, read with {@code debugfs} (read-only: not even the mount count changes).
     *
     * @param dir an absolute path of plain characters, since it reaches debugfs's command parser
     * @throws DiskException when the image cannot be read or debugfs cannot list {@code dir}
     */
    public Listing list(Path image, String dir) {
        if (!PLAIN_DIR.matcher(dir).matches()) {
            throw DiskException.invalid("directory to list must be a plain absolute path, got '" + dir + "'");
        }
        Path file = existingImage(image);
        CommandResult result = host.run(Command.of("debugfs", "-R", "ls -p " + dir, file.toString()));
        DebugfsListing listing = DebugfsListing.parse(dir + " in " + file, result.stdout(), result.stderr());
        Set<String> directories = new TreeSet<>();
        for (String name : listing.names()) {
            if (listing.hasDirectory(name)) {
                directories.add(name);
            }
        }
        return new Listing(listing.names(), directories);
    }

    /**
     * One directory of an image as {@link #list} read it. Immutable value.
     *
     * @param names       every entry's name
     * @param directories the names that are directories
     */
    public record Listing(Set<String> names, Set<String> directories) {
        public Listing {
            names = Set.copyOf(names);
            directories = Set.copyOf(directories);
        }

        public boolean hasDirectory(String name) {
            return directories.contains(name);
        }
    }

    /**
     * Loop-mounts the image ({@code nosuid,nodev,noexec}) on a fresh temporary directory, runs
     * {@code work} on the mount point, and unmounts and removes it whatever happens.
     *
     * @param done what {@code work} has done once it returns, for the message when the unmount
     *             then fails (e.g. "flattened the work disk")
     * @throws DiskException when the image cannot be mounted or unmounted; what {@code work}
     *                       throws passes through, an unmount failure suppressed in it
     */
    public <T> T mounted(Path image, String done, Function<Path, T> work) {
        Path file = existingImage(image);
        Path mountPoint = tempDir();
        try {
            host.run(Command.of("mount", "-o", "loop,nosuid,nodev,noexec", file.toString(), mountPoint.toString()));
            RuntimeException failure = null;
            try {
                return work.apply(mountPoint);
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                unmount(mountPoint, done, failure);
            }
        } finally {
            try {
                Files.deleteIfExists(mountPoint);
            } catch (IOException e) {
                // Still a mount point (the unmount failure is already being reported); nothing to add.
            }
        }
    }

    private void unmount(Path mountPoint, String done, RuntimeException failure) {
        try {
            host.run(Command.of("umount", mountPoint.toString()));
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                throw DiskException.wrap(done + " but cannot unmount " + mountPoint
                        + "; unmount it by hand ('umount " + mountPoint + "')", e);
            }
        }
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
