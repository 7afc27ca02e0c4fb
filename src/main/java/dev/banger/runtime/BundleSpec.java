package dev.banger.runtime;

import java.util.List;
import java.util.Optional;

/**
 * The parsed {@code config/runtime-bundle.toml}: the bundle version and every artifact a host
 * needs. Immutable; build with {@link BundleSpecLoader}.
 *
 * @param version      bundle version, used in the package name {@code banger-runtime-<version>.tar.gz}
 * @param artifacts    artifacts in declaration order (names unique)
 * @param debianKernel settings of the {@code stage:debian-kernel} recipe
 */
public record BundleSpec(String version, List<ArtifactSpec> artifacts, DebianKernelSettings debianKernel) {
    public BundleSpec {
        artifacts = List.copyOf(artifacts);
    }

    /** A copy whose artifact {@code name} comes from a local file (e.g. {@code --firecracker <path>}). */
    public BundleSpec withLocalFile(String name, java.nio.file.Path file) {
        if (artifact(name).isEmpty()) {
            throw new RuntimeBundleException(dev.banger.model.ErrorKind.INVALID_ARGUMENT,
                    "the bundle spec declares no artifact '" + name + "'");
        }
        return new BundleSpec(version, artifacts.stream()
                .map(a -> a.name().equals(name) ? BundleSpecLoader.withLocalFile(a, file.toAbsolutePath().normalize()) : a)
                .toList(), debianKernel);
    }

    public Optional<ArtifactSpec> artifact(String name) {
        return artifacts.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /**
     * How the kernel, initrd and modules are staged from the host distro's kernel package.
     *
     * @param metaPackage   the meta package whose versioned dependency is the kernel (linux-image-cloud-amd64)
     * @param debSha256     optional pin of the versioned kernel .deb's sum; empty trusts apt's signed index
     * @param initrdModules modules the initramfs loads (with their dependencies) before mounting root
     */
    public record DebianKernelSettings(String metaPackage, String debSha256, List<String> initrdModules) {
        public DebianKernelSettings {
            debSha256 = debSha256 == null ? "" : debSha256.toLowerCase(java.util.Locale.ROOT);
            initrdModules = List.copyOf(initrdModules);
        }
    }
}
