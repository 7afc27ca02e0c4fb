package dev.banger.vm.snapshot;

import dev.banger.vm.state.VmException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * sha256 of files that rarely change (a kernel, the agent), remembered while the file keeps its
 * inode, size and modification time: every create asks for its snapshot's shape, and hashing a
 * kernel takes tens of milliseconds. Thread-safe.
 */
public final class FileDigests {
    private record Stamp(Object key, long size, long modified) {}

    private record Known(Stamp stamp, String sha256) {}

    private final Map<Path, Known> known = new ConcurrentHashMap<>();

    /** The file's sha256 in hex. */
    public String sha256(Path file) {
        Path path = file.toAbsolutePath().normalize();
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            Stamp stamp = new Stamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
            Known cached = known.get(path);
            if (cached != null && cached.stamp().equals(stamp)) {
                return cached.sha256();
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            known.put(path, new Known(stamp, sha));
            return sha;
        } catch (IOException e) {
            throw VmException.failed("cannot read " + path + " for its sha256: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
