package dev.banger.config;

import java.util.Objects;

/**
 * The {@code [daemon]} table. Immutable.
 *
 * @param group the Unix group whose members may use the daemon's socket
 */
public record DaemonConfig(String group) {
    public static final DaemonConfig DEFAULTS = new DaemonConfig("banger");

    public DaemonConfig {
        Objects.requireNonNull(group, "group");
    }
}
