package dev.banger.runtime;

import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.HostCommands;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code banger runtime package}: writes {@code banger-runtime-<version>.tar.gz} (the manifest and
 * every artifact it lists) plus a copy of the manifest beside it. A bundle whose files no longer
 * match their sums is refused rather than packaged. Not thread-safe per output directory.
 */
public final class BundlePackager {
    private final HostCommands host;

    public BundlePackager(HostCommands host) {
        this.host = host;
    }

    /** What was written: the tarball and the manifest copy beside it. */
    public record Packaged(Path tarball, Path manifest, String sha256) {}

    public Packaged pack(Path bundleRoot, Path outDir) {
        BundleManifest manifest = BundleManifest.read(bundleRoot);
        List<String> problems = new ArrayList<>();
        for (BundleManifest.Entry entry : manifest.artifacts()) {
            Path file = BundlePaths.resolve(bundleRoot, entry.path());
            if (!Files.isRegularFile(file)) {
                problems.add(entry.name() + " missing (" + file + ")");
            } else if (!Sha256.of(file).equals(entry.sha256())) {
                problems.add(entry.name() + " sha256 mismatch");
            }
        }
        if (!problems.isEmpty()) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "will not package the runtime bundle at "
                    + bundleRoot + ": " + String.join(", ", problems) + "; run `banger runtime bootstrap` first");
        }
        String base = "banger-runtime-" + manifest.bundleVersion();
        Path tarball = outDir.resolve(base + ".tar.gz");
        Path manifestCopy = outDir.resolve(base + ".manifest.json");
        try {
            Files.createDirectories(outDir);
            Path tmp = Files.createTempFile(outDir, "." + base, ".tmp");
            try {
                List<String> argv = new ArrayList<>(List.of("tar", "--sort=name", "--owner=0", "--group=0",
                        "--numeric-owner", "-C", bundleRoot.toString(), "-czf", tmp.toString(), BundlePaths.MANIFEST));
                manifest.artifacts().forEach(e -> argv.add(e.path()));
                host.run(Command.of(argv).withTimeout(Duration.ofMinutes(5)));
                Files.move(tmp, tarball, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            Files.copy(bundleRoot.resolve(BundlePaths.MANIFEST), manifestCopy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot write " + tarball + ": " + e.getMessage(), e);
        } catch (CommandFailedException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot pack " + tarball + ": " + e.getMessage(), e);
        }
        return new Packaged(tarball, manifestCopy, Sha256.of(tarball));
    }
}
