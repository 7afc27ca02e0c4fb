package dev.banger.bench;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.banger.model.WireNames;

/**
 * Which way a benchmarked create was asked to go: the fast paths banger uses (restoring a golden
 * snapshot where one of the shape exists), the deliberate slow path, or a cold boot of the kernel
 * on the fast paths even where a snapshot exists ({@code cold: true}).
 */
public enum CreatePath {
    FAST,
    SLOW,
    COLD;

    /** The stable lower-case name: the report's heading for the path, and what its JSON carries. */
    @JsonValue
    public String label() {
        return WireNames.of(this);
    }

    /** The constant of a label; the upper-case Java name, which older reports held, is read too. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CreatePath fromLabel(String word) {
        return WireNames.parse(CreatePath.class, word);
    }
}
