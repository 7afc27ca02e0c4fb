package dev.banger.vm;

import dev.banger.image.ImageManifest;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import dev.banger.store.ImageRepository;
import dev.banger.vm.boot.Machines;
import dev.banger.vm.state.VmException;
import dev.banger.vm.warm.WarmShape;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which image a VM gets and what banger knows of it: the default (the promoted image, else the
 * configured one), the image a request names, its manifest (absent for images banger did not
 * build), and the warm pool's shape for creates from it. Thread-safe.
 */
final class ImagePolicy {
    private final ImageRepository images;
    private final Supplier<String> configuredDefault;

    ImagePolicy(ImageRepository images, Supplier<String> configuredDefault) {
        this.images = images;
        this.configuredDefault = configuredDefault;
    }

    /** The image creates get when they name none: the promoted one, else the configured one. */
    Optional<Image> findDefault() {
        return images.findDefault().or(() -> images.find(configuredDefault.get()));
    }

    /** The image a create names, or the default; refused with the next step when missing or broken. */
    Image forCreate(String named) {
        Image image = named == null
                ? findDefault().orElseThrow(() -> VmException.precondition(
                        "there is no default image '" + configuredDefault.get() + "'; build it with 'banger image build'"
                                + " (a 'banger vm create' without --no-build builds it first) or promote another with"
                                + " 'banger image promote NAME'"))
                : images.get(named);
        if (image.status() == ImageStatus.NEEDS_REBUILD) {
            throw VmException.precondition("image '" + image.name() + "' needs a rebuild (its files are missing or its"
                    + " work seed does not match its fingerprint); run 'banger image rebuild-rootfs " + image.name() + "'");
        }
        return image;
    }

    Image get(String name) {
        return images.get(name);
    }

    static boolean hasWorkSeed(Image image) {
        return image.workSeed() != null && Files.isRegularFile(image.workSeed());
    }

    /** Whether a guest of this image restored from a snapshot can take a VM's identity (and there is a seed to freeze). */
    static boolean restorable(Image image) {
        return Machines.takesHostKey(image) && hasWorkSeed(image);
    }

    List<Image> all() {
        return images.list();
    }

    /** The warm pool's shape for creates from {@code image}, when its guests can come from the pool at all. */
    static Optional<WarmShape> warmShape(Image image, int vcpus, int memoryMib, long diskBytes) {
        return ImageManifest.of(image).filter(m -> m.guestConfigDrive() && m.workDiskGrowsInGuest())
                .filter(m -> hasWorkSeed(image))
                .map(m -> WarmShape.of(image, vcpus, memoryMib, diskBytes));
    }
}
