package dev.banger.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Outcome of one readiness check. */
public enum CheckStatus {
    OK,
    WARN,
    FAIL;

    /** The stable lower-case name: what {@code banger doctor} prints (a failure in capitals) and {@code --json} carries. */
    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    /** The constant of a wire name; the upper-case Java name, which older daemons sent, is read too. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CheckStatus fromWireName(String word) {
        return WireNames.parse(CheckStatus.class, word);
    }
}
