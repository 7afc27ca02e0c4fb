package dev.banger.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A registered guest image: the files a VM is made from and what the builder recorded about them.
 * Immutable value; optional parts ({@code initrd}, {@code modules}, {@code workSeed},
 * {@code workSeedFingerprint}) are {@code null} when the image has none.
 *
 * @param name                unique name, e.g. {@code debian-12}
 * @param distro              the builder's distribution, e.g. {@code debian} or {@code void}
 * @param kernel              uncompressed vmlinux (Firecracker) or bzImage (QEMU)
 * @param initrd              optional initramfs
 * @param modules             optional kernel modules directory or archive
 * @param rootfs              the read-only {@code rootfs.ext4}
 * @param workSeed            optional {@code work-seed.ext4} holding the prepared {@code /root}
 * @param manifestJson        the build manifest as JSON text (distro, packages, fingerprint, build time)
 * @param workSeedFingerprint fingerprint of the work seed's inputs, or null without a seed
 * @param status              whether VMs can be created from it
 * @param createdAt           when the image was built or registered
 */
public record Image(
        String name,
        String distro,
        Path kernel,
        Path initrd,
        Path modules,
        Path rootfs,
        Path workSeed,
        String manifestJson,
        String workSeedFingerprint,
        ImageStatus status,
        Instant createdAt) {

    public Image {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(distro, "distro");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(rootfs, "rootfs");
        Objects.requireNonNull(manifestJson, "manifestJson");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
