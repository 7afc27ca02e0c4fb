package dev.banger.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A guest distribution banger can build images of. {@link #id()} is the stable lower-case name used
 * in manifests, config and file names ({@code config/packages.<id>}). Immutable.
 */
public enum Distro {
    DEBIAN,
    VOID;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The package list's file name under {@code config/}, e.g. {@code packages.debian}. */
    public String packageFileName() {
        return "packages." + id();
    }

    /** Parses an id such as {@code debian}; any other text is an {@link ImageException} listing the choices. */
    @JsonCreator
    public static Distro fromId(String id) {
        for (Distro distro : values()) {
            if (distro.id().equals(id)) {
                return distro;
            }
        }
        throw ImageException.invalid("unknown distro '" + id + "'; choose one of "
                + Arrays.stream(values()).map(Distro::id).collect(Collectors.joining(", ")));
    }
}
