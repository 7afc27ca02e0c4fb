package dev.banger.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [agent]} table (formerly the "ping helper"): the guest agent binary installed into
 * images and the vsock port it listens on. Immutable.
 *
 * @param path host path of the agent binary; empty means the one in the runtime bundle
 * @param port vsock port, 1..65535
 */
public record AgentConfig(Optional<Path> path, int port) {
    public static final AgentConfig DEFAULTS = new AgentConfig(Optional.empty(), 10000);

    public AgentConfig {
        Objects.requireNonNull(path, "path");
    }
}
