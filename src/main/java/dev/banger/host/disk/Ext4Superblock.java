package dev.banger.host.disk;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an ext4 superblock banger acts on, parsed from {@code dumpe2fs -h} output
 * (run with {@code LC_ALL=C TZ=UTC}, so dates are English and in UTC). Immutable value; the
 * parser is pure.
 *
 * @param blockCount  blocks in the file system
 * @param blockSize   bytes per block
 * @param state       "clean", "not clean", "clean with errors"…
 * @param lastMount   when it was last mounted, empty when never
 * @param lastChecked when e2fsck (or mkfs) last checked it, empty when never
 */
public record Ext4Superblock(long blockCount, int blockSize, String state, Optional<Instant> lastMount, Optional<Instant> lastChecked) {
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

    /** The file system's size in bytes. */
    public long sizeBytes() {
        return blockCount * blockSize;
    }

    /**
     * Whether resize2fs will insist on {@code e2fsck -f} first: it does when the file system is
     * not cleanly unmounted or was mounted after its last check (resize2fs's own rule).
     */
    public boolean needsCheckBeforeResize() {
        if (!"clean".equals(state)) {
            return true;
        }
        return lastMount.isPresent() && (lastChecked.isEmpty() || lastMount.get().isAfter(lastChecked.get()));
    }

    /**
     * Parses {@code dumpe2fs -h} output.
     *
     * @throws DiskException when a field banger needs is missing or unreadable (not an ext file system?)
     */
    public static Ext4Superblock parse(String dumpe2fsHeader) {
        Map<String, String> fields = new HashMap<>();
        for (String line : dumpe2fsHeader.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        long blocks = number(fields, "Block count");
        long size = number(fields, "Block size");
        if (blocks <= 0 || size <= 0 || size > 65536) {
            throw DiskException.precondition("dumpe2fs reported an impossible geometry: " + blocks + " blocks of " + size + " bytes");
        }
        return new Ext4Superblock(blocks, (int) size, required(fields, "Filesystem state"),
                date(fields, "Last mount time"), date(fields, "Last checked"));
    }

    private static String required(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw DiskException.precondition("dumpe2fs output has no '" + key + "' line; is this an ext2/3/4 file system?");
        }
        return value;
    }

    private static long number(Map<String, String> fields, String key) {
        String value = required(fields, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw DiskException.precondition("dumpe2fs '" + key + "' is not a number: " + value);
        }
    }

    private static Optional<Instant> date(Map<String, String> fields, String key) {
        String value = required(fields, key);
        if (value.equals("n/a")) {
            return Optional.empty();
        }
        try {
            // ctime pads the day with a space ("Dec  2"); one space is what the pattern takes.
            return Optional.of(LocalDateTime.parse(value.replaceAll("\\s+", " "), CTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            throw DiskException.precondition("dumpe2fs '" + key + "' is not a date: " + value);
        }
    }
}
