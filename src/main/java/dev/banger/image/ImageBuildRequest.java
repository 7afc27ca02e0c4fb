package dev.banger.image;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to build: name, distro, profile and release, the size of the root filesystem, and
 * optionally the exact package list (a rebuild reuses the manifest's list; a new build takes the
 * distro's baseline for the profile). Immutable value, validated on construction.
 *
 * @param name      the image name
 * @param distro    which builder
 * @param profile   dev or minimal
 * @param release   distro release, e.g. {@code bookworm}
 * @param rootfsBytes size of {@code rootfs.ext4}
 * @param packages  the package list to install, or empty for the baseline
 */
public record ImageBuildRequest(
        String name, Distro distro, Profile profile, String release, long rootfsBytes, Optional<List<String>> packages) {
    /** Smallest root filesystem banger builds: a minimal Debian with the baseline needs about 1.2 GiB. */
    public static final long MIN_ROOTFS_BYTES = 1536L << 20;
    public static final long MAX_ROOTFS_BYTES = 1L << 40;

    public ImageBuildRequest {
        Objects.requireNonNull(distro, "distro");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(packages, "packages");
        if (!dev.banger.model.Image.isValidName(name)) {
            throw ImageException.invalid("invalid image name '" + name + "': use up to 63 lowercase letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit");
        }
        checkRelease(release);
        checkRootfsBytes(rootfsBytes);
        packages = packages.map(List::copyOf);
    }

    public static String checkRelease(String release) {
        if (release == null || !release.matches("[a-z][a-z0-9.-]{0,31}")) {
            throw ImageException.invalid("invalid release '" + release + "': use a codename such as bookworm");
        }
        return release;
    }

    public static long checkRootfsBytes(long bytes) {
        if (bytes < MIN_ROOTFS_BYTES || bytes > MAX_ROOTFS_BYTES) {
            throw ImageException.invalid("root filesystem size " + bytes + " bytes is out of range: use 1536M to 1T");
        }
        return bytes;
    }
}
