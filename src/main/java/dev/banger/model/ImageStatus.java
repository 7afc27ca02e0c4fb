package dev.banger.model;

import java.util.Locale;

/** Whether a registered image can be used to create VMs as it is. */
public enum ImageStatus {
    /** Complete and verified: VMs can be created from it. */
    READY,
    /** Usable parts are missing or stale (for example its work seed); rebuild or re-register it. */
    NEEDS_REBUILD,
    /**
     * Usable, but it has no work seed: the next VM create builds {@code /root} from the rootfs the
     * slow way and then records a seed, so later creates clone it.
     */
    NEEDS_WORK_SEED;

    /** The stable lower-case, hyphenated name used on the wire and in the database. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
