package dev.banger.model;

import java.util.Locale;

/** Progress of one stage of an operation. */
public enum StageState {
    /** Planned, not started. */
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Succeeded earlier, then undone because a later stage failed. */
    ROLLED_BACK,
    /** Not run because an earlier stage failed or it did not apply. */
    SKIPPED;

    public boolean isFinished() {
        return this != PENDING && this != RUNNING;
    }

    /** The stable lower-case, hyphenated name used on the wire and in the database. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
