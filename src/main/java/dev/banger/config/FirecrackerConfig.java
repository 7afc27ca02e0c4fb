package dev.banger.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [firecracker]} table. Immutable.
 *
 * @param binary the firecracker executable; empty means the runtime bundle's
 * @param jailer the jailer executable; empty means the runtime bundle's
 */
public record FirecrackerConfig(Optional<Path> binary, Optional<Path> jailer) {
    public static final FirecrackerConfig DEFAULTS = new FirecrackerConfig(Optional.empty(), Optional.empty());

    public FirecrackerConfig {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(jailer, "jailer");
    }
}
