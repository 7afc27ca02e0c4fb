package dev.banger.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.banger.model.WireNames;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a runtime bundle was found and why there. Immutable.
 *
 * @param root    the bundle directory (holds manifest.json)
 * @param origin  which discovery rule found it
 * @param warning non-empty when the location is deprecated (legacy {@code ./runtime})
 */
public record BundleLocation(Path root, Origin origin, String warning) {
    public BundleLocation {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(origin, "origin");
        warning = warning == null ? "" : warning;
    }

    /** The discovery rules, in the order they are tried. */
    public enum Origin {
        CONFIG("[runtime] bundle in the config"),
        ENVIRONMENT("$" + DiscoveryContext.BUNDLE_ENV),
        CHECKOUT("source checkout build/runtime"),
        INSTALLED("installed <prefix>/lib/banger"),
        LEGACY("legacy ./runtime");

        private final String description;

        Origin(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        /** The stable lower-case name {@code banger runtime status --json} carries. */
        @JsonValue
        public String wireName() {
            return WireNames.of(this);
        }

        /** The constant of a wire name; the upper-case Java name is read too. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Origin fromWireName(String word) {
            return WireNames.parse(Origin.class, word);
        }
    }
}
