package dev.banger.image;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A finished build in its scratch directory, ready to be moved into place and registered.
 * Immutable value.
 *
 * @param dir      the directory holding every file below
 * @param manifest what {@code manifest.json} says
 * @param vmlinux  the kernel both backends boot
 * @param initrd   the image's initramfs
 * @param modules  the kernel modules tarball
 * @param rootfs   {@code rootfs.ext4}
 * @param workSeed {@code work-seed.ext4}
 */
public record BuiltImage(Path dir, ImageManifest manifest, Path vmlinux, Path initrd, Path modules, Path rootfs, Path workSeed) {
    public BuiltImage {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(manifest, "manifest");
    }
}
