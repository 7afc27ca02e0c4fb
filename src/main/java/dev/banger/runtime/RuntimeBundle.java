package dev.banger.runtime;

import dev.banger.model.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A located runtime bundle and its manifest: the entry point for code that needs the kernel, the
 * VMM binary, the agent or the SSH key. {@link #require(String)} fails with the command that
 * fixes a missing artifact; {@link #status(Optional)} re-hashes every file. Immutable and
 * thread-safe (the file system may of course change underneath).
 */
public final class RuntimeBundle {
    private final BundleLocation location;
    private final BundleManifest manifest;
    private final String fixHint;

    private RuntimeBundle(BundleLocation location, BundleManifest manifest, String fixHint) {
        this.location = location;
        this.manifest = manifest;
        this.fixHint = fixHint;
    }

    /** Locates the bundle from this process's environment and system properties. */
    public static RuntimeBundle locate() {
        return locate(DiscoveryContext.fromSystem());
    }

    /** @throws RuntimeBundleException naming where it looked and the command that builds a bundle */
    public static RuntimeBundle locate(DiscoveryContext ctx) {
        BundleLocation location = BundleLocator.require(ctx);
        return new RuntimeBundle(location, BundleManifest.read(location.root()), BundleLocator.fixHint(ctx));
    }

    public static RuntimeBundle at(Path root) {
        return new RuntimeBundle(new BundleLocation(root.toAbsolutePath().normalize(), BundleLocation.Origin.ENVIRONMENT, ""),
                BundleManifest.read(root), "`banger runtime bootstrap`");
    }

    public Path root() {
        return location.root();
    }

    public BundleLocation location() {
        return location;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** The artifact's file when the manifest lists it and it exists; its sum is not re-checked. */
    public Optional<Path> find(String name) {
        return manifest.entry(name)
                .map(e -> BundlePaths.resolve(root(), e.path()))
                .filter(Files::isRegularFile);
    }

    /**
     * The artifact's file.
     *
     * @throws RuntimeBundleException when it is not in the bundle, saying how to add it
     */
    public Path require(String name) {
        return find(name).orElseThrow(() -> new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED,
                "the runtime bundle at " + root() + " has no " + name + howToAdd(name)));
    }

    /** Firecracker and its jailer: optional, since the QEMU backend runs without them. */
    static boolean isVmmBinary(String name) {
        return name.equals(RuntimeArtifacts.FIRECRACKER) || name.equals(RuntimeArtifacts.JAILER);
    }

    private String howToAdd(String name) {
        if (name.equals(RuntimeArtifacts.FIRECRACKER) || name.equals(RuntimeArtifacts.JAILER)) {
            return ". Put the release binary somewhere and run `banger runtime bootstrap --firecracker <path>`"
                    + " (or set [firecracker] binary in config/runtime-bundle.toml), or use the QEMU backend.";
        }
        if (name.equals(RuntimeArtifacts.AGENT)) {
            return ". Run `make build`, then " + fixHint + ".";
        }
        return ". Run " + fixHint + ".";
    }

    /**
     * Hashes every artifact. With a spec, artifacts it declares but the manifest lacks are listed as
     * missing (optional ones flagged so); without one, only the manifest is checked.
     */
    public List<ArtifactStatus> status(Optional<BundleSpec> spec) {
        List<ArtifactStatus> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (BundleManifest.Entry entry : manifest.artifacts()) {
            seen.add(entry.name());
            boolean optional = spec.flatMap(s -> s.artifact(entry.name())).map(ArtifactSpec::optional)
                    .orElse(isVmmBinary(entry.name()));
            Path file = BundlePaths.resolve(root(), entry.path());
            if (!Files.isRegularFile(file)) {
                out.add(new ArtifactStatus(entry.name(), entry.version(), file.toString(), ArtifactStatus.State.MISSING,
                        entry.sha256(), "", optional));
                continue;
            }
            String actual = Sha256.of(file);
            out.add(new ArtifactStatus(entry.name(), entry.version(), file.toString(),
                    actual.equals(entry.sha256()) ? ArtifactStatus.State.OK : ArtifactStatus.State.MISMATCH,
                    entry.sha256(), actual, optional));
        }
        spec.ifPresent(s -> s.artifacts().stream()
                .filter(a -> !seen.contains(a.name()))
                .forEach(a -> out.add(new ArtifactStatus(a.name(), a.version(), root().resolve(a.path()).toString(),
                        ArtifactStatus.State.MISSING, "", "", a.optional()))));
        return out;
    }
}
