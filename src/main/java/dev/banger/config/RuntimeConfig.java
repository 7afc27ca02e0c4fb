package dev.banger.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [runtime]} table. Immutable.
 *
 * @param bundle directory of the runtime bundle (kernels, firecracker, agent); empty means discover it
 */
public record RuntimeConfig(Optional<Path> bundle) {
    public static final RuntimeConfig DEFAULTS = new RuntimeConfig(Optional.empty());

    public RuntimeConfig {
        Objects.requireNonNull(bundle, "bundle");
    }
}
