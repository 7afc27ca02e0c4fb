package dev.banger.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [firecracker]} table. Immutable.
 *
 * @param binary the firecracker executable; empty means the runtime bundle's
 * @param jailer the jailer executable; empty means the runtime bundle's
 * @param jail   whether Firecracker is launched through the jailer (a chroot per VM)
 */
public record FirecrackerConfig(Optional<Path> binary, Optional<Path> jailer, boolean jail) {
    public static final FirecrackerConfig DEFAULTS = new FirecrackerConfig(Optional.empty(), Optional.empty(), false);

    public FirecrackerConfig {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(jailer, "jailer");
    }
}
