package dev.banger.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

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

    /**
     * The stable lower-case, hyphenated name: what the text output prints, what {@code --json} and the
     * wire carry, and what the database holds.
     */
    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    /** The constant of a wire name; the upper-case Java name, which older daemons sent, is read too. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static VmState fromWireName(String word) {
        return WireNames.parse(VmState.class, word);
    }
}
