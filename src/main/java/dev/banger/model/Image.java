package dev.banger.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

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
 * @param managed             whether banger may rebuild and heal it (set by {@code image promote})
 * @param defaultImage        whether {@code vm create} uses it when no image is named
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
        Instant createdAt,
        boolean managed,
        boolean defaultImage) {

    /** Valid image names: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit. */
    public static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    public Image {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(distro, "distro");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(rootfs, "rootfs");
        Objects.requireNonNull(manifestJson, "manifestJson");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public static boolean isValidName(String name) {
        return name != null && NAME_PATTERN.matcher(name).matches();
    }

    /** The same image with another status. */
    public Image withStatus(ImageStatus newStatus) {
        return new Image(name, distro, kernel, initrd, modules, rootfs, workSeed, manifestJson, workSeedFingerprint,
                newStatus, createdAt, managed, defaultImage);
    }
}
