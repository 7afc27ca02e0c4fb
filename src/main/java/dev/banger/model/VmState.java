package dev.banger.model;

import java.util.Locale;

/** Where a VM is in its life. Stored by {@link #wireName()}; decoding an unknown name is an error. */
public enum VmState {
    /** The create pipeline is running (or died mid-way and awaits reconcile). */
    CREATING,
    RUNNING,
    STOPPED,
    /** Create or start failed; the VM keeps its row so the user can inspect and delete it. */
    FAILED,
    /** Teardown is in progress. */
    DELETING;

    /** The stable lower-case, hyphenated name used on the wire and in the database. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
