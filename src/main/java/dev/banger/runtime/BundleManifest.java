package dev.banger.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The bundle's {@code manifest.json}: every artifact present, its version, path and the sha256 of
 * the file as it lies in the bundle. For staged and generated artifacts this recorded sum is the
 * reference that status, doctor and install verify against. Immutable value.
 *
 * @param bundleVersion the spec version the bundle was built from
 * @param createdAt     ISO-8601 time of the last bootstrap that changed it
 * @param artifacts     entries sorted by name
 */
public record BundleManifest(String bundleVersion, String createdAt, List<Entry> artifacts) {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public BundleManifest {
        Objects.requireNonNull(bundleVersion, "bundleVersion");
        createdAt = createdAt == null ? "" : createdAt;
        artifacts = artifacts == null ? List.of()
                : artifacts.stream().sorted(Comparator.comparing(Entry::name)).toList();
    }

    /**
     * One artifact in the bundle.
     *
     * @param sourceSha256 sum of what it was made from (download, archive or kernel .deb), when known
     */
    public record Entry(String name, String version, String path, String sha256, String source, String sourceSha256) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
            version = version == null ? "" : version;
            source = source == null ? "" : source;
            sourceSha256 = sourceSha256 == null ? "" : sourceSha256;
        }
    }

    public Optional<Entry> entry(String name) {
        return artifacts.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** A copy with {@code entry} added or replacing the entry of the same name. */
    public BundleManifest with(Entry entry) {
        List<Entry> next = new ArrayList<>(artifacts.stream().filter(e -> !e.name().equals(entry.name())).toList());
        next.add(entry);
        return new BundleManifest(bundleVersion, createdAt, next);
    }

    public static Optional<BundleManifest> readIfPresent(Path bundleRoot) {
        Path file = bundleRoot.resolve(BundlePaths.MANIFEST);
        return Files.isRegularFile(file) ? Optional.of(read(bundleRoot)) : Optional.empty();
    }

    public static BundleManifest read(Path bundleRoot) {
        Path file = bundleRoot.resolve(BundlePaths.MANIFEST);
        BundleManifest manifest;
        try {
            manifest = MAPPER.readValue(file.toFile(), BundleManifest.class);
        } catch (IOException | RuntimeException e) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "runtime bundle manifest " + file
                    + " is unreadable (" + e.getMessage() + "); rebuild it with `banger runtime bootstrap`", e);
        }
        for (Entry entry : manifest.artifacts()) {
            if (!BundlePaths.isSafeRelative(entry.path()) || !Sha256.isValid(entry.sha256())) {
                throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "runtime bundle manifest " + file
                        + " has a bad entry for '" + entry.name() + "' (path '" + entry.path() + "', sha256 '"
                        + entry.sha256() + "'); rebuild it with `banger runtime bootstrap`");
            }
        }
        return manifest;
    }

    /** Writes {@code manifest.json} atomically (temp file, then rename), so readers never see half a manifest. */
    public void write(Path bundleRoot) {
        Path file = bundleRoot.resolve(BundlePaths.MANIFEST);
        try {
            Files.createDirectories(bundleRoot);
            Path tmp = Files.createTempFile(bundleRoot, ".manifest", ".tmp");
            try {
                MAPPER.writeValue(tmp.toFile(), this);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
