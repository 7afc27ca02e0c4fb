package dev.banger.runtime;

import java.util.List;
import java.util.Optional;

/**
 * A located bundle with every artifact re-hashed: what {@code banger runtime status} prints and
 * the {@code runtime-bundle} doctor check judges. Immutable value.
 *
 * @param location  where the bundle was found
 * @param artifacts one status per artifact in the manifest or the spec
 * @param fixHint   the command that rebuilds the bundle here, quoted for messages
 */
public record BundleStatusReport(BundleLocation location, List<ArtifactStatus> artifacts, String fixHint) {
    public BundleStatusReport {
        artifacts = List.copyOf(artifacts);
    }

    /**
     * Locates the bundle and hashes every artifact; the spec (checkout or installed share dir) adds
     * the artifacts a bundle should have but does not.
     *
     * @throws RuntimeBundleException when no bundle is found, its manifest is unreadable, or the spec is invalid
     */
    public static BundleStatusReport inspect(DiscoveryContext ctx) {
        RuntimeBundle bundle = RuntimeBundle.locate(ctx);
        Optional<BundleSpec> spec = BundleLocator.specFile(ctx).filter(java.nio.file.Files::isRegularFile)
                .map(BundleSpecLoader::load);
        return new BundleStatusReport(bundle.location(), bundle.status(spec), BundleLocator.fixHint(ctx));
    }

    /** Artifacts that make the bundle unusable: mismatched ones, and missing required ones. */
    public List<ArtifactStatus> problems() {
        return artifacts.stream().filter(ArtifactStatus::isProblem).toList();
    }

    public boolean healthy() {
        return problems().isEmpty();
    }

    /** Whether Firecracker is absent: worth a warning, since only the Firecracker backend needs it. */
    public boolean firecrackerMissing() {
        return artifacts.stream().noneMatch(a -> a.name().equals(RuntimeArtifacts.FIRECRACKER)
                && a.state() == ArtifactStatus.State.OK);
    }

    /** One line naming each problem, e.g. {@code initrd missing, kernel-vmlinux sha256 mismatch}. */
    public String describeProblems() {
        return String.join(", ", problems().stream().map(a -> a.name() + (a.state() == ArtifactStatus.State.MISMATCH
                ? " sha256 mismatch (expected " + a.expected() + ", got " + a.actual() + ")" : " missing")).toList());
    }

    /** The command that fixes the problems, with a hint for the agent, which only `make build` makes. */
    public String remedy() {
        boolean agent = problems().stream().anyMatch(a -> a.name().equals(RuntimeArtifacts.AGENT));
        return "run " + (agent ? "`make build`, then " : "") + fixHint;
    }

    public static String firecrackerRemedy() {
        return "the QEMU backend works without it; for Firecracker put the release binary on this host and run"
                + " `banger runtime bootstrap --firecracker /path/to/firecracker`";
    }
}
