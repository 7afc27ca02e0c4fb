package dev.banger.config;

import java.util.Objects;

/**
 * The {@code [qemu]} table. Immutable.
 *
 * @param binary program name looked up on PATH, or an absolute path
 */
public record QemuConfig(String binary) {
    public static final QemuConfig DEFAULTS = new QemuConfig("qemu-system-x86_64");

    public QemuConfig {
        Objects.requireNonNull(binary, "binary");
    }
}
