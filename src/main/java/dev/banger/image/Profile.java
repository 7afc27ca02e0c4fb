package dev.banger.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an image is for. {@link #DEV} adds the developer extras (node/npm, opencode on port 4096,
 * mise); {@link #MINIMAL} is the shared baseline only. {@link #id()} is the lower-case name used in
 * manifests and in package-list tags ({@code [dev]}). Immutable.
 */
public enum Profile {
    DEV,
    MINIMAL;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an id such as {@code dev}; any other text is an {@link ImageException} listing the choices. */
    @JsonCreator
    public static Profile fromId(String id) {
        for (Profile profile : values()) {
            if (profile.id().equals(id)) {
                return profile;
            }
        }
        throw ImageException.invalid("unknown profile '" + id + "'; choose one of "
                + Arrays.stream(values()).map(Profile::id).collect(Collectors.joining(", ")));
    }
}
