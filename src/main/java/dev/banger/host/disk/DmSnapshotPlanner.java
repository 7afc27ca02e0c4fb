package dev.banger.host.disk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The argument lists of a device-mapper snapshot's life: attach the base read-only and the
 * copy-on-write file to loop devices, create the {@code snapshot} table, and take it all apart.
 * Pure: nothing here runs a program; {@link DiskCloner} runs the lists. Stateless and thread-safe.
 */
final class DmSnapshotPlanner {
    static final Path MAPPER_DIR = Path.of("/dev/mapper");
    static final long SECTOR_BYTES = 512;
    /** 8 sectors = 4 KiB chunks: the page size, so a guest's small writes copy little. */
    static final int CHUNK_SECTORS = 8;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final Pattern LOOP = Pattern.compile("/dev/loop[0-9]+");
    private static final int READABLE_PART = 40;

    private DmSnapshotPlanner() {}

    /**
     * The mapper name for a clone at {@code target}: readable (from the target's directory and
     * file name) and unique (a hash of the whole path), so teardown and reconcile can find it
     * again from the path alone.
     */
    static String deviceName(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        String file = absolute.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        Path parent = absolute.getParent();
        String readable = (parent != null && parent.getFileName() != null ? parent.getFileName() + "-" : "") + stem;
        readable = readable.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
        if (readable.length() > READABLE_PART) {
            readable = readable.substring(0, READABLE_PART);
        }
        String name = "banger-" + (readable.isEmpty() ? "" : readable + "-") + shortHash(absolute.toString());
        return requireValidName(name);
    }

    static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw DiskException.invalid("device-mapper name must match " + NAME.pattern() + ", got " + name);
        }
        return name;
    }

    /** The snapshot's length in sectors; the base must be a whole number of sectors. */
    static long sectors(Path base, long baseBytes) {
        if (baseBytes <= 0 || baseBytes % SECTOR_BYTES != 0) {
            throw DiskException.invalid("base image " + base + " is " + baseBytes
                    + " bytes, not a positive multiple of " + SECTOR_BYTES + "; a dm snapshot needs whole sectors");
        }
        return baseBytes / SECTOR_BYTES;
    }

    /**
     * The sparse copy-on-write file's length: room for every chunk of the base plus the
     * persistent store's header and exception tables (16 bytes per 4 KiB chunk, so 1/256 of the
     * base), with margin. Sparse, so only what the guest changes takes space.
     */
    static long cowBytes(long baseBytes) {
        long bytes = baseBytes + baseBytes / 128 + (1L << 20);
        return (bytes + SECTOR_BYTES - 1) / SECTOR_BYTES * SECTOR_BYTES;
    }

    static List<String> attachBase(Path base) {
        return List.of("losetup", "--find", "--show", "--read-only", base.toString());
    }

    static List<String> attachCow(Path cow) {
        return List.of("losetup", "--find", "--show", cow.toString());
    }

    /** {@code dmsetup create} with the table as one argument: no shell, nothing re-split. */
    static List<String> create(String name, long sectors, Path baseLoop, Path cowLoop) {
        String table = "0 " + sectors + " snapshot " + baseLoop + " " + cowLoop + " P " + CHUNK_SECTORS;
        return List.of("dmsetup", "create", requireValidName(name), "--table", table);
    }

    static List<String> remove(String name) {
        return List.of("dmsetup", "remove", requireValidName(name));
    }

    /** Prints the file behind a loop device, or nothing when it is not attached. */
    static List<String> backingFile(Path loop) {
        return List.of("losetup", "--list", "--noheadings", "--output", "BACK-FILE", requireLoop(loop.toString()).toString());
    }

    static List<String> detach(Path loop) {
        return List.of("losetup", "--detach", requireLoop(loop.toString()).toString());
    }

    /** The loop device {@code losetup --show} printed. */
    static Path requireLoop(String printed) {
        String device = printed.strip();
        if (!LOOP.matcher(device).matches()) {
            throw DiskException.precondition("expected a loop device such as /dev/loop0, got '" + device + "'");
        }
        return Path.of(device);
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
