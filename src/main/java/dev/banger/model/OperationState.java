package dev.banger.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Progress of a staged operation as a whole. */
public enum OperationState {
    RUNNING,
    SUCCEEDED,
    /** A stage failed (completed stages were rolled back) or the daemon died while it ran. */
    FAILED;

    public boolean isFinished() {
        return this != RUNNING;
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
    public static OperationState fromWireName(String word) {
        return WireNames.parse(OperationState.class, word);
    }
}
