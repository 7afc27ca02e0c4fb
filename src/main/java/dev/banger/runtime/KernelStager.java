package dev.banger.runtime;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Seam for {@code stage:debian-kernel/…} artifacts: produces a matching vmlinux, bzImage, initrd and
 * modules tarball on this host. Implementations may be slow (package download, decompression)
 * and need not be thread-safe; bootstrap calls {@link #stage()} at most once per run.
 */
public interface KernelStager {
    String VMLINUX = "vmlinux";
    String BZIMAGE = "bzimage";
    String INITRD = "initrd";
    String MODULES = "modules";

    /**
     * The staged kernel.
     *
     * @param release     kernel release, e.g. {@code 6.1.0-56-cloud-amd64} (recorded as the artifacts' version)
     * @param source      what it was staged from, e.g. the .deb's file name
     * @param sourceSha256 the sum of that package
     * @param outputs     file per output name ({@link #VMLINUX}, {@link #BZIMAGE}, {@link #INITRD}, {@link #MODULES})
     */
    record StagedKernel(String release, String source, String sourceSha256, Map<String, Path> outputs) {
        public StagedKernel {
            outputs = Map.copyOf(outputs);
        }

        public Optional<Path> output(String name) {
            return Optional.ofNullable(outputs.get(name));
        }
    }

    /** @throws RuntimeBundleException naming the step that failed and what to install or run */
    StagedKernel stage();
}
