package dev.banger.image;

import java.nio.file.Path;

/**
 * Where an image's files live: {@code <state>/images/<name>/} holds {@code rootfs.ext4},
 * {@code work-seed.ext4}, {@code vmlinux}, {@code bzImage}, {@code initrd.img},
 * {@code modules.tar.gz} and {@code manifest.json}. Builds happen in a sibling
 * {@code .build-<name>} directory and are moved into place only when complete, so a failed build
 * never touches the image it would replace. Immutable value; {@code name} must already be valid.
 *
 * @param imagesDir {@code <state>/images}
 * @param name      the image name
 */
public record ImageLayout(Path imagesDir, String name) {
    public static final String ROOTFS = "rootfs.ext4";
    public static final String WORK_SEED = "work-seed.ext4";
    public static final String VMLINUX = "vmlinux";
    public static final String BZIMAGE = "bzImage";
    public static final String INITRD = "initrd.img";
    public static final String MODULES = "modules.tar.gz";
    public static final String MANIFEST = "manifest.json";

    public ImageLayout {
        if (!dev.banger.model.Image.isValidName(name)) {
            throw ImageException.invalid("invalid image name '" + name + "'");
        }
    }

    public static ImageLayout of(Path stateDir, String name) {
        return new ImageLayout(stateDir.resolve("images"), name);
    }

    public Path dir() {
        return imagesDir.resolve(name);
    }

    /** The scratch directory of a build in progress; removed when the build ends either way. */
    public Path buildDir() {
        return imagesDir.resolve(".build-" + name);
    }

    /** Where the replaced files of a rebuilt image wait until the store points at the new ones. */
    public Path retiredDir() {
        return imagesDir.resolve(".old-" + name);
    }

    public Path file(String fileName) {
        return dir().resolve(fileName);
    }
}
