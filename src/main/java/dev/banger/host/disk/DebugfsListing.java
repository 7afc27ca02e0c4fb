package dev.banger.host.disk;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory of an ext4 image as {@code debugfs -R 'ls -p DIR'} prints it (one
 * {@code /inode/mode/uid/gid/name/size/} line per entry), read without mounting, so looking
 * changes nothing, not even the mount count. Immutable value; the parser is pure.
 */
record DebugfsListing(List<Entry> entries) {
    private static final Pattern LINE = Pattern.compile("/(\\d+)/([0-7]+)/(\\d+)/(\\d+)/([^/]+)/(\\d*)/");
    private static final Pattern BANNER = Pattern.compile("debugfs \\d[\\d.]*\\S* \\(.*\\)");
    private static final int TYPE_MASK = 0170000;
    private static final int DIRECTORY = 0040000;

    /** One directory entry; {@code mode} holds the type bits and the permissions. */
    record Entry(String name, int mode) {
        boolean isDirectory() {
            return (mode & TYPE_MASK) == DIRECTORY;
        }
    }

    DebugfsListing {
        entries = List.copyOf(entries);
    }

    /** Names other than {@code .} and {@code ..}. */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (Entry entry : entries) {
            names.add(entry.name());
        }
        return names;
    }

    boolean hasDirectory(String name) {
        return entries.stream().anyMatch(entry -> entry.name().equals(name) && entry.isDirectory());
    }

    /**
     * Parses a listing. debugfs exits 0 even when it cannot open the image, so its stderr (all
     * but the version banner) is the error signal.
     *
     * @throws DiskException when debugfs complained or printed a line it should not have
     */
    static DebugfsListing parse(String what, String stdout, String stderr) {
        List<String> complaints = stderr.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !BANNER.matcher(line).matches()).toList();
        if (!complaints.isEmpty()) {
            throw DiskException.precondition("debugfs cannot list " + what + ": " + String.join("; ", complaints));
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : stdout.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                throw DiskException.precondition("unexpected debugfs line while listing " + what + ": " + line);
            }
            String name = m.group(5);
            if (!name.equals(".") && !name.equals("..")) {
                entries.add(new Entry(name, Integer.parseInt(m.group(2), 8)));
            }
        }
        return new DebugfsListing(entries);
    }
}
