package dev.banger.doctor;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * Remembers KVM test-boot verdicts on disk so repeat doctor runs are instant. A verdict is keyed by
 * everything that can change it: host kernel release, QEMU version and the guest kernel file
 * (path, size, modification time). Cache trouble is never an error: it just means probing again.
 * Safe for concurrent use (writes are atomic renames; the last writer wins).
 */
final class KvmVerdictCache {
    private final Path dir;

    KvmVerdictCache(Path dir) {
        this.dir = dir;
    }

    static String key(String hostKernelRelease, String qemuVersion, Path guestKernel) {
        String kernel;
        try {
            kernel = guestKernel.toAbsolutePath() + ":" + Files.size(guestKernel) + ":"
                    + Files.getLastModifiedTime(guestKernel).toMillis();
        } catch (IOException e) {
            kernel = guestKernel.toAbsolutePath() + ":unreadable";
        }
        return "host=" + hostKernelRelease + "\nqemu=" + qemuVersion + "\nkernel=" + kernel;
    }

    Optional<KvmVerdict> find(String key) {
        Path file = fileFor(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String usable = p.getProperty("usable");
        String evidence = p.getProperty("evidence");
        if (!key.equals(p.getProperty("key")) || usable == null || evidence == null) {
            return Optional.empty();
        }
        return Optional.of(new KvmVerdict(Boolean.parseBoolean(usable), evidence));
    }

    void store(String key, KvmVerdict verdict) {
        Properties p = new Properties();
        p.setProperty("key", key);
        p.setProperty("usable", Boolean.toString(verdict.usable()));
        p.setProperty("evidence", verdict.evidence());
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".kvm-", ".tmp");
            try {
                try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    p.store(out, "banger doctor: KVM test-boot verdict");
                }
                try {
                    Files.move(temp, fileFor(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, fileFor(key), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // An unwritable cache only costs the next doctor run another test boot.
        }
    }

    Path fileFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir.resolve("kvm-" + HexFormat.of().formatHex(digest, 0, 12) + ".verdict");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
