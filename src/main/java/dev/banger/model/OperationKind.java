package dev.banger.model;

import java.util.Locale;

/** What a long-running, staged operation does. */
public enum OperationKind {
    VM_CREATE,
    IMAGE_BUILD,
    IMAGE_VERIFY,
    IMAGE_SNAPSHOT;

    /** The stable lower-case, hyphenated name used on the wire and in the database. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
