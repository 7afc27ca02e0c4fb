package dev.banger.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Work seeds: the prepared {@code /root} as its own small ext4, flat ({@code /root}'s contents at
 * the filesystem root), fingerprinted with {@link TreeFingerprint} so a corrupt or stale seed is
 * caught before VMs clone it. Builds one from a tree, from a rootfs (images without a seed), and
 * re-derives the fingerprint of a seed file. Thread-safe.
 */
public final class WorkSeeds {
    /** The label guests mount at {@code /root} ({@code LABEL=banger-work} in the image's fstab). */
    public static final String LABEL = "banger-work";
    static final int HOME_MODE = 0700;
    private static final long MIN_BYTES = 64L << 20;
    private static final String LOST_FOUND = "lost+found";

    private final Ext4Images ext4;

    public WorkSeeds(Ext4Images ext4) {
        this.ext4 = ext4;
    }

    /** What a seed build produced. */
    public record Seed(Path file, String fingerprint) {}

    /**
     * Makes {@code seedFile} from the home tree at {@code home}, repairing a nested {@code root/}
     * layout first. Its size leaves room for the tree and some slack; VMs grow their copy.
     */
    public Seed build(Path home, Path seedFile) {
        WorkSeedFlattener.flatten(home);
        setMode(home, HOME_MODE);
        String fingerprint = TreeFingerprint.of(home);
        ext4.create(home, seedFile, sizeFor(home), LABEL, HOME_MODE);
        return new Seed(seedFile, fingerprint);
    }

    /**
     * Builds a seed from the {@code /root} of a rootfs, the slow path for images registered
     * without one. {@code scratch} is an empty directory the caller removes.
     */
    public Seed buildFromRootfs(Path rootfs, Path scratch, Path seedFile) {
        ext4.extract(rootfs, "/root", scratch);
        Path home = scratch.resolve("root");
        if (!Files.isDirectory(home)) {
            throw ImageException.precondition(rootfs + " has no /root directory to make a work seed from");
        }
        return build(home, seedFile);
    }

    /** Recomputes the fingerprint of an existing seed file; {@code scratch} is an empty directory the caller removes. */
    public String fingerprint(Path seedFile, Path scratch) {
        ext4.extract(seedFile, "/", scratch);
        try {
            GuestTree.deleteTree(scratch.resolve(LOST_FOUND));
        } catch (IOException e) {
            throw ImageException.io("cannot inspect the work seed " + seedFile + ": " + e.getMessage(), e);
        }
        setMode(scratch, ext4.mode(seedFile, "/"));
        return TreeFingerprint.of(scratch);
    }

    static long sizeFor(Path tree) {
        long bytes;
        try (var walk = Files.walk(tree)) {
            bytes = walk.filter(Files::isRegularFile).mapToLong(WorkSeeds::size).sum();
        } catch (IOException e) {
            throw ImageException.io("cannot measure " + tree + ": " + e.getMessage(), e);
        }
        long withSlack = bytes + bytes / 2 + (32L << 20);
        long mib = (Math.max(withSlack, MIN_BYTES) + (1L << 20) - 1) >> 20;
        return mib << 20;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void setMode(Path dir, int mode) {
        try {
            Files.setPosixFilePermissions(dir, GuestTree.permissions(mode));
        } catch (IOException e) {
            throw ImageException.io("cannot set the mode of " + dir + ": " + e.getMessage(), e);
        }
    }
}
