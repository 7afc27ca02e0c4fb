package dev.banger.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.banger.model.WireNames;
import java.util.Objects;

/**
 * One artifact's state in a located bundle, as {@code banger runtime status} and doctor report it.
 *
 * @param path     absolute path where it is (or should be); empty when not even the spec knows
 * @param expected the manifest's sum (empty when the artifact is not in the manifest)
 * @param actual   the file's sum now (empty when the file is missing)
 * @param optional whether the spec lets the bundle work without it
 */
public record ArtifactStatus(String name, String version, String path, State state, String expected, String actual,
                             boolean optional) {
    public ArtifactStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        version = version == null ? "" : version;
        path = path == null ? "" : path;
        expected = expected == null ? "" : expected;
        actual = actual == null ? "" : actual;
    }

    public enum State {
        /** Present and its sum matches the manifest. */
        OK,
        /** Present but its sum differs from the manifest. */
        MISMATCH,
        /** Not in the manifest, or listed but the file is gone. */
        MISSING;

        /**
         * The stable lower-case name: what {@code banger runtime status} prints (a problem in capitals)
         * and {@code --json} carries.
         */
        @JsonValue
        public String wireName() {
            return WireNames.of(this);
        }

        /** The constant of a wire name; the upper-case Java name, which older versions wrote, is read too. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static State fromWireName(String word) {
            return WireNames.parse(State.class, word);
        }
    }

    /** Whether this status makes the bundle unusable: a mismatch always, a missing required artifact. */
    public boolean isProblem() {
        return state == State.MISMATCH || (state == State.MISSING && !optional);
    }
}
