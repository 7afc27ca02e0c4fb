package dev.banger.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

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
    public static StageState fromWireName(String word) {
        return WireNames.parse(StageState.class, word);
    }
}
