package dev.banger.model;

import java.util.Locale;

/** Progress of a staged operation as a whole. */
public enum OperationState {
    RUNNING,
    SUCCEEDED,
    /** A stage failed (completed stages were rolled back) or the daemon died while it ran. */
    FAILED;

    public boolean isFinished() {
        return this != RUNNING;
    }

    /** The stable lower-case, hyphenated name used on the wire and in the database. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
