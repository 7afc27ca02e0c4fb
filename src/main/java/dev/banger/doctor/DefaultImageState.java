package dev.banger.doctor;

import java.util.Objects;

/**
 * What is known of the default image, the one {@code banger vm create} uses without
 * {@code --image}: the promoted image, else {@code [image] default}. Found by whoever can read
 * images (see {@link DefaultImageProbe}); judged by {@link DefaultImageCheck}. Immutable value.
 *
 * @param name        the image's name ({@code [image] default} when there is none)
 * @param promoted    whether it is the promoted image (else it is named by {@code [image] default})
 * @param condition   what inspecting its files found
 * @param detail      the finding in words: which files are missing, which fingerprints differ
 * @param rebuildable whether banger built it (it has a build manifest), so that
 *                    {@code banger image rebuild-rootfs} can make it again
 */
public record DefaultImageState(String name, boolean promoted, Condition condition, String detail, boolean rebuildable) {
    public DefaultImageState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        detail = detail == null ? "" : detail;
    }

    /** What inspecting the default image found. */
    public enum Condition {
        /** No promoted image and none named {@code [image] default}. */
        ABSENT,
        /** Files present, work seed matching its recorded fingerprint. */
        READY,
        /** Registered without a work seed: the first create builds one from the rootfs. */
        AWAITING_WORK_SEED,
        /** The recorded work seed file is gone. */
        WORK_SEED_MISSING,
        /** The work seed's contents no longer match the fingerprint recorded when it was made. */
        WORK_SEED_MISMATCH,
        /** Another of its files (kernel, rootfs, initrd, modules) is gone. */
        FILES_MISSING,
        /** The work seed could not be read back to fingerprint it. */
        UNREADABLE,
        /** Which image is the default could not be found out (e.g. the database did not open). */
        UNKNOWN
    }
}
