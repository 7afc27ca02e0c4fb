package dev.banger.image;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The fingerprint of a directory tree, e.g. the prepared {@code /root} a work seed is made from:
 * {@code sha256:<hex>} over every entry in sorted relative-path order, each with its type, mode
 * bits, and contents (files) or target (symlinks). Symlinks are recorded, never followed, so nothing
 * outside the tree is read. Equal trees give equal sums whatever order they were written in; one
 * byte, a mode bit, a rename or an added file changes the sum. Owners and times are not included.
 * Stateless and thread-safe.
 */
public final class TreeFingerprint {
    /** The prefix every fingerprint carries, naming the algorithm. */
    public static final String PREFIX = "sha256:";

    private TreeFingerprint() {}

    /**
     * Fingerprints the tree at {@code root}, which must be a real directory (not a symlink).
     *
     * @throws ImageException when {@code root} is not a directory or an entry cannot be read
     */
    public static String of(Path root) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw ImageException.invalid("cannot fingerprint " + root + ": not a directory");
        }
        MessageDigest digest = newDigest();
        try (DataOutputStream out = new DataOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), digest))) {
            out.writeUTF("banger-tree-v1");
            for (String relative : sortedEntries(root)) {
                Path entry = relative.isEmpty() ? root : root.resolve(relative);
                writeEntry(out, relative.isEmpty() ? "." : relative, entry);
            }
        } catch (IOException e) {
            throw ImageException.io("cannot fingerprint " + root + ": " + e.getMessage(), e);
        }
        return PREFIX + HexFormat.of().formatHex(digest.digest());
    }

    /** Relative paths with {@code /} separators, sorted by their UTF-8 bytes; the root itself is "". */
    private static List<String> sortedEntries(Path root) throws IOException {
        List<String> paths = new ArrayList<>();
        // walkFileTree does not follow links by default: a symlinked directory is visited as a file.
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                paths.add(relative(root, dir));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                paths.add(relative(root, file));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                throw e;
            }
        });
        paths.sort(TreeFingerprint::compareBytes);
        return paths;
    }

    private static String relative(Path root, Path entry) {
        StringBuilder out = new StringBuilder();
        for (Path part : root.relativize(entry)) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    private static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeEntry(DataOutputStream out, String name, Path entry) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        out.writeUTF(name);
        out.writeInt(mode(entry, attrs));
        if (attrs.isSymbolicLink()) {
            out.writeByte('l');
            out.writeUTF(Files.readSymbolicLink(entry).toString());
        } else if (attrs.isDirectory()) {
            out.writeByte('d');
        } else if (attrs.isRegularFile()) {
            out.writeByte('f');
            out.writeLong(attrs.size());
            long copied;
            try (InputStream in = Files.newInputStream(entry, LinkOption.NOFOLLOW_LINKS)) {
                copied = in.transferTo(out);
            }
            if (copied != attrs.size()) {
                throw new IOException(entry + " changed size while it was read");
            }
        } else {
            // Devices, fifos and sockets: their identity is their type and mode, never their contents.
            out.writeByte('o');
        }
    }

    private static int mode(Path entry, BasicFileAttributes attrs) throws IOException {
        if (attrs.isSymbolicLink()) {
            return 0; // link modes are meaningless on Linux and vary by filesystem
        }
        try {
            return ((Integer) Files.getAttribute(entry, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return posixBits(Files.getPosixFilePermissions(entry, LinkOption.NOFOLLOW_LINKS));
        }
    }

    private static int posixBits(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (PosixFilePermission p : permissions) {
            bits |= 1 << (8 - p.ordinal());
        }
        return bits;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}
