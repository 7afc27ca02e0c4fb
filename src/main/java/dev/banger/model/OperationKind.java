package dev.banger.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a long-running, staged operation does. */
public enum OperationKind {
    VM_CREATE,
    IMAGE_BUILD,
    IMAGE_VERIFY,
    IMAGE_SNAPSHOT;

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
    public static OperationKind fromWireName(String word) {
        return WireNames.parse(OperationKind.class, word);
    }
}
