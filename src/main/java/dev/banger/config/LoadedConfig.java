package dev.banger.config;

import java.util.List;
import java.util.Objects;

/**
 * A loaded configuration and the warnings loading it produced (unknown keys, deprecated keys),
 * which the caller should show or log together with the file name (the warnings do not repeat
 * it). Immutable.
 */
public record LoadedConfig(BangerConfig config, List<String> warnings) {
    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
    }
}
