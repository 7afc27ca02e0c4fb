package dev.banger.vm.warm;

import dev.banger.model.Image;
import dev.banger.vm.snapshot.GoldenSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a warm machine is made for: the image files and what a running VMM cannot change, and for a
 * machine that waits restored rather than booting, the golden snapshot it was loaded from. Immutable value.
 *
 * @param image     the image's name (for logs)
 * @param kernel    the image's kernel
 * @param initrd    its initramfs, or null
 * @param rootfs    its root file system, the root overlay's base
 * @param workSeed  its work seed, the work overlay's base
 * @param diskBytes the work drive's size; the one part a paused machine can still change (grow)
 * @param snapshot  the snapshot a restored machine was loaded from, or null for a machine that boots
 */
public record WarmShape(String image, Path kernel, Path initrd, Path rootfs, Path workSeed, int vcpus, int memoryMib, long diskBytes,
        GoldenSnapshot snapshot) {
    public WarmShape {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(rootfs, "rootfs");
        Objects.requireNonNull(workSeed, "workSeed");
    }

    /** The shape of a create from {@code image}, which must have a work seed. */
    public static WarmShape of(Image image, int vcpus, int memoryMib, long diskBytes) {
        return new WarmShape(image.name(), image.kernel(), image.initrd(), image.rootfs(), image.workSeed(), vcpus, memoryMib,
                diskBytes, null);
    }

    /** The shape of a machine that waits with {@code snapshot} of {@code image} loaded, its work drive at the frozen size. */
    public static WarmShape restoring(Image image, GoldenSnapshot snapshot) {
        return new WarmShape(image.name(), image.kernel(), image.initrd(), image.rootfs(), image.workSeed(), snapshot.shape().vcpus(),
                snapshot.shape().memoryMib(), snapshot.meta().workBytes(), snapshot);
    }

    /** Whether the machine waits restored from a snapshot (its TAP off the bridge until its guest has an identity). */
    public boolean restores() {
        return snapshot != null;
    }

    /** Whether a machine of this shape can become a VM of {@code asked}: the same in all but a work drive no larger. */
    boolean fits(WarmShape asked) {
        return equals(new WarmShape(asked.image, asked.kernel, asked.initrd, asked.rootfs, asked.workSeed, asked.vcpus,
                asked.memoryMib, diskBytes, asked.snapshot)) && diskBytes <= asked.diskBytes;
    }

    /** The image files, which a machine keeps open: a rebuilt image (new files) makes its machines stale. */
    public List<Path> files() {
        return initrd == null ? List.of(kernel, rootfs, workSeed) : List.of(kernel, initrd, rootfs, workSeed);
    }

    @Override
    public String toString() {
        return image + " (" + vcpus + " vCPU, " + memoryMib + " MiB, " + (diskBytes >> 20) + " MiB disk"
                + (snapshot == null ? ")" : ", restored from " + snapshot.dir().getFileName() + ")");
    }
}
