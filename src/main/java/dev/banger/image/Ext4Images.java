package dev.banger.image;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ext4 image files without mounting anything: {@code mkfs.ext4 -d} fills a new filesystem from a
 * directory tree, {@code debugfs} reads trees back out and fixes the root inode's mode (which
 * {@code mkfs.ext4 -d} does not copy), and the superblock magic tells ext2/3/4 from anything
 * else. Thread-safe.
 */
public final class Ext4Images {
    private static final Duration MKFS_TIMEOUT = Duration.ofMinutes(10);
    private static final int SUPERBLOCK_OFFSET = 1024;
    private static final int MAGIC_OFFSET = 0x38;
    private static final int EXT_MAGIC = 0xEF53;
    private static final Pattern ROOT_MODE = Pattern.compile("Mode:\\s+(0?[0-7]{3,4})");

    private final HostCommands host;

    public Ext4Images(HostCommands host) {
        this.host = host;
    }

    /**
     * Creates {@code image} ({@code bytes} long, sparse) holding a copy of {@code tree}, labelled
     * {@code label}; the filesystem root gets {@code rootMode}.
     */
    public void create(Path tree, Path image, long bytes, String label, int rootMode) {
        host.run(Command.of("mkfs.ext4", "-q", "-F", "-L", label, "-d", tree.toString(), image.toString(),
                (bytes / 1024) + "k").withTimeout(MKFS_TIMEOUT));
        host.run(debugfsWrite(image, "set_inode_field / mode 0" + Integer.toOctalString(040000 | rootMode)));
    }

    /** Copies the tree at {@code guestDir} inside {@code image} (e.g. {@code /} or {@code /root}) into {@code dest}, which must exist. */
    public void extract(Path image, String guestDir, Path dest) {
        requireNoBlanks(dest.toString());
        requireNoBlanks(guestDir);
        CommandResult result = host.run(Command.of("debugfs", "-R", "rdump " + guestDir + " " + dest, image.toString())
                .withTimeout(MKFS_TIMEOUT));
        // debugfs reports a failed request on stderr but still exits 0.
        if (result.stderr().contains("File not found") || result.stderr().contains("rdump:")) {
            throw ImageException.precondition("cannot read " + guestDir + " from " + image + ": " + lastLine(result.stderr()));
        }
    }

    /** The permission bits of the directory at {@code guestPath} inside {@code image}. */
    public int mode(Path image, String guestPath) {
        requireNoBlanks(guestPath);
        CommandResult result = host.run(Command.of("debugfs", "-R", "stat " + guestPath, image.toString()));
        Matcher m = ROOT_MODE.matcher(result.stdout());
        if (!m.find()) {
            throw ImageException.precondition("cannot read the mode of " + guestPath + " in " + image + ": "
                    + lastLine(result.stderr()));
        }
        return Integer.parseInt(m.group(1), 8) & 07777;
    }

    /** Whether the file starts with an ext2/3/4 superblock. */
    public static boolean isExt4(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (in.length() < SUPERBLOCK_OFFSET + MAGIC_OFFSET + 2) {
                return false;
            }
            in.seek(SUPERBLOCK_OFFSET + MAGIC_OFFSET);
            int magic = in.readUnsignedByte() | (in.readUnsignedByte() << 8);
            return magic == EXT_MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    private static Command debugfsWrite(Path image, String request) {
        return Command.of("debugfs", "-w", "-R", request, image.toString());
    }

    /** debugfs splits its request on blanks, so a path with one would be read as two arguments. */
    private static void requireNoBlanks(String path) {
        if (path.chars().anyMatch(Character::isWhitespace)) {
            throw ImageException.invalid("path '" + path + "' contains white space, which debugfs cannot take");
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines[lines.length - 1];
    }
}
