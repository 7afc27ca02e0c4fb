package dev.banger.daemon;

import dev.banger.doctor.DefaultImageProbe;
import dev.banger.doctor.DefaultImageState;
import dev.banger.doctor.DefaultImageState.Condition;
import dev.banger.host.FileTrees;
import dev.banger.host.HostCommands;
import dev.banger.image.ImageHealth;
import dev.banger.model.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The doctor's view of the default image: which one it is comes from {@code defaultRow} (the
 * daemon's store, or the database read read-only when no daemon runs), what state it is in from
 * {@link ImageHealth}, the inspection the daemon's start-up reconcile makes. The work seed is read
 * back into a fresh directory under {@code <state>/tmp}, so a doctor never touches the scratch
 * directory of a build. Thread-safe.
 */
final class DefaultImageInspection implements DefaultImageProbe {
    private final Supplier<Optional<Image>> defaultRow;
    private final String configuredDefault;
    private final ImageHealth health;
    private final Path scratchParent;

    /**
     * @param defaultRow        the promoted image, else the one named {@code configuredDefault}
     * @param configuredDefault {@code [image] default}
     * @param scratchParent     where temporary read-back directories are made ({@code <state>/tmp})
     */
    DefaultImageInspection(Supplier<Optional<Image>> defaultRow, String configuredDefault, HostCommands host, Path scratchParent) {
        this.defaultRow = defaultRow;
        this.configuredDefault = configuredDefault;
        this.health = new ImageHealth(host);
        this.scratchParent = scratchParent;
    }

    @Override
    public DefaultImageState inspect() {
        Optional<Image> row;
        try {
            row = defaultRow.get();
        } catch (RuntimeException e) {
            return new DefaultImageState(configuredDefault, false, Condition.UNKNOWN, e.getMessage(), false);
        }
        if (row.isEmpty()) {
            return new DefaultImageState(configuredDefault, false, Condition.ABSENT, "", false);
        }
        Image image = row.get();
        boolean rebuildable = ImageHealth.rebuildable(image);
        Path scratch = null;
        try {
            Files.createDirectories(scratchParent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            scratch = Files.createTempDirectory(scratchParent, "doctor-seed-");
            ImageHealth.Verdict verdict = health.inspect(image, scratch);
            return new DefaultImageState(image.name(), image.defaultImage(), condition(verdict.problem()), verdict.detail(), rebuildable);
        } catch (IOException e) {
            return new DefaultImageState(image.name(), image.defaultImage(), Condition.UNREADABLE,
                    "cannot make a directory to read its work seed back into under " + scratchParent + ": " + e.getMessage(),
                    rebuildable);
        } finally {
            deleteTree(scratch);
        }
    }

    static Condition condition(ImageHealth.Problem problem) {
        return switch (problem) {
            case NONE -> Condition.READY;
            case NO_WORK_SEED_YET -> Condition.AWAITING_WORK_SEED;
            case WORK_SEED_MISSING -> Condition.WORK_SEED_MISSING;
            case FILES_MISSING -> Condition.FILES_MISSING;
            case WORK_SEED_MISMATCH -> Condition.WORK_SEED_MISMATCH;
            case WORK_SEED_UNREADABLE -> Condition.UNREADABLE;
        };
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            // A leftover read-back directory under <state>/tmp is harmless; the verdict matters more.
        }
    }
}
