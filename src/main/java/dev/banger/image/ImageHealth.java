package dev.banger.image;

import dev.banger.host.HostCommands;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Whether an image's files still are what its record says: every file present, and the work seed
 * (read back with {@code debugfs rdump}) still has the {@link TreeFingerprint} recorded when it was
 * made. The daemon's start-up reconcile and the doctor's {@code default-image} check both ask
 * here, so they cannot disagree. Reads only; thread-safe.
 */
public final class ImageHealth {
    private final HostCommands host;

    public ImageHealth(HostCommands host) {
        this.host = host;
    }

    /** What is wrong with an image, if anything. */
    public enum Problem {
        NONE,
        /** No seed recorded (registered without one): the first create makes it. */
        NO_WORK_SEED_YET,
        /** The recorded seed file is gone (and perhaps others with it). */
        WORK_SEED_MISSING,
        /** A file other than the seed is gone. */
        FILES_MISSING,
        WORK_SEED_MISMATCH,
        WORK_SEED_UNREADABLE
    }

    /** The finding: the problem, and a sentence saying what was found. */
    public record Verdict(Problem problem, String detail) {
        /** The image status this finding calls for. */
        public ImageStatus status() {
            return switch (problem) {
                case NONE -> ImageStatus.READY;
                case NO_WORK_SEED_YET -> ImageStatus.NEEDS_WORK_SEED;
                default -> ImageStatus.NEEDS_REBUILD;
            };
        }
    }

    /**
     * Inspects {@code image}. {@code scratch} is an empty directory that the work seed is read back
     * into, which the caller removes.
     */
    public Verdict inspect(Image image, Path scratch) {
        List<String> missing = new ArrayList<>();
        Stream.of(image.kernel(), image.rootfs(), image.initrd(), image.modules(), image.workSeed())
                .filter(p -> p != null && !Files.isRegularFile(p))
                .forEach(p -> missing.add(p.toString()));
        if (!missing.isEmpty()) {
            boolean seedGone = image.workSeed() != null && missing.contains(image.workSeed().toString());
            return new Verdict(seedGone ? Problem.WORK_SEED_MISSING : Problem.FILES_MISSING,
                    "missing files: " + String.join(", ", missing));
        }
        if (image.workSeed() == null) {
            return new Verdict(Problem.NO_WORK_SEED_YET,
                    "no work seed yet; the next VM create builds /root from the rootfs and records one");
        }
        String actual;
        try {
            actual = new WorkSeeds(new Ext4Images(host)).fingerprint(image.workSeed(), scratch);
        } catch (RuntimeException e) {
            return new Verdict(Problem.WORK_SEED_UNREADABLE, "the work seed cannot be read: " + e.getMessage());
        }
        if (!actual.equals(image.workSeedFingerprint())) {
            return new Verdict(Problem.WORK_SEED_MISMATCH, "the work seed's fingerprint is " + actual
                    + " but the manifest records " + image.workSeedFingerprint());
        }
        return new Verdict(Problem.NONE, "files present, work seed matches its fingerprint");
    }

    /** Whether banger built the image (its manifest is a build manifest), so that a rebuild can remake it. */
    public static boolean rebuildable(Image image) {
        try {
            ImageManifest.fromJson(image.manifestJson(), "the manifest of image '" + image.name() + "'");
            return true;
        } catch (ImageException | IllegalArgumentException notBuilt) {
            return false;
        }
    }
}
