package dev.banger.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds small bundles on disk for tests. */
final class TestBundles {
    private TestBundles() {}

    /** A bundle with one file per name at {@code <name>.bin}, content {@code "content of <name>"}. */
    static BundleManifest write(Path root, String... names) throws IOException {
        Files.createDirectories(root);
        BundleManifest manifest = new BundleManifest("1.0", "2026-01-01T00:00:00Z", List.of());
        for (String name : names) {
            Path file = root.resolve("files/" + name + ".bin");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "content of " + name);
            manifest = manifest.with(new BundleManifest.Entry(name, "v1", "files/" + name + ".bin", Sha256.of(file), "test", ""));
        }
        manifest.write(root);
        return manifest;
    }

    static void deleteTree(Path dir) {
        RuntimeBootstrap.deleteTree(dir);
    }
}
