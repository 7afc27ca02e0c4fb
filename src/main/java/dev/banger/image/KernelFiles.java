package dev.banger.image;

import dev.banger.host.Command;
import dev.banger.host.HostCommands;
import dev.banger.runtime.VmlinuxExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stages an image's boot stack from its own root tree, so the kernel's modules inside the rootfs
 * always match the kernel that boots it: {@code bzImage} and the {@code vmlinux} extracted from
 * it, the distro's initramfs ({@code /boot/initrd.img-V} on Debian, {@code /boot/initramfs-V.img}
 * on Void), and the kernel's modules directory ({@link #modulesDir}) as a reproducible tarball.
 * Thread-safe.
 */
final class KernelFiles {
    /** What was staged; every path is inside the output directory. */
    record Staged(String version, Path vmlinux, Path bzImage, Path initrd, Path modules) {}

    private final HostCommands host;

    KernelFiles(HostCommands host) {
        this.host = host;
    }

    Staged stage(Path tree, Path out) {
        String version = version(tree.resolve("boot"));
        Path bzImage = out.resolve(ImageLayout.BZIMAGE);
        Path vmlinux = out.resolve(ImageLayout.VMLINUX);
        Path initrd = out.resolve(ImageLayout.INITRD);
        Path modules = out.resolve(ImageLayout.MODULES);
        try {
            Files.copy(tree.resolve("boot/vmlinuz-" + version), bzImage, StandardCopyOption.REPLACE_EXISTING);
            Path initrdSource = Stream.of("boot/initrd.img-" + version, "boot/initramfs-" + version + ".img")
                    .map(tree::resolve).filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> ImageException.precondition("the image has kernel " + version
                            + " but no initramfs for it in /boot; is the distro's initramfs generator installed?"));
            Files.copy(initrdSource, initrd, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw ImageException.io("cannot stage the kernel " + version + ": " + e.getMessage(), e);
        }
        new VmlinuxExtractor(host).extract(bzImage, vmlinux, out);
        String modulesDir = modulesDir(tree, version);
        host.run(Command.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                "-C", tree.toString(), "-czf", modules.toString(), modulesDir));
        return new Staged(version, vmlinux, bzImage, initrd, modules);
    }

    /**
     * Where the tree keeps the modules of {@code version}, relative to the tree: {@code lib/modules/V}
     * on a classic layout, {@code usr/lib/modules/V} where {@code /lib} is a link into {@code /usr}
     * (Void, merged-usr Debian). Only real directories count: a link in the tree may be absolute
     * and would lead out of it on the host.
     */
    static String modulesDir(Path tree, String version) {
        for (String candidate : List.of("lib/modules/" + version, "usr/lib/modules/" + version)) {
            if (isRealDirectory(tree, candidate)) {
                return candidate;
            }
        }
        throw ImageException.precondition("the image has kernel " + version + " but neither /lib/modules/" + version
                + " nor /usr/lib/modules/" + version + " is a directory in it");
    }

    private static boolean isRealDirectory(Path tree, String relative) {
        Path current = tree;
        for (String part : relative.split("/")) {
            current = current.resolve(part);
            if (!Files.isDirectory(current, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }

    /** The one kernel version in {@code /boot} ({@code vmlinuz-<version>}). */
    static String version(Path boot) {
        List<String> versions;
        try (Stream<Path> files = Files.list(boot)) {
            versions = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("vmlinuz-"))
                    .map(n -> n.substring("vmlinuz-".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw ImageException.precondition("the image root has no readable /boot: " + e.getMessage());
        }
        if (versions.size() != 1) {
            throw ImageException.precondition("expected exactly one kernel in the image's /boot, found "
                    + (versions.isEmpty() ? "none" : versions) + "; the builder installs one kernel package");
        }
        return versions.getFirst();
    }
}
