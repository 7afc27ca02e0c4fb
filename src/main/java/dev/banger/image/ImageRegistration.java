package dev.banger.image;

import java.nio.file.Path;

/**
 * {@code image register}: existing artifacts to import under a name. Paths are absolute (the CLI
 * resolves them against the caller's working directory). Immutable value.
 *
 * @param name     the new image name
 * @param kernel   vmlinux or bzImage
 * @param rootfs   an ext4 root filesystem
 * @param initrd   optional initramfs
 * @param modules  optional modules tarball
 * @param workSeed optional ext4 of the prepared {@code /root}
 */
public record ImageRegistration(String name, Path kernel, Path rootfs, Path initrd, Path modules, Path workSeed) {}
