package dev.banger.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [image]} table: which image new VMs use, and where image builders fetch packages.
 * Immutable.
 *
 * @param defaultImage   image name used when {@code vm create} names none
 * @param debianMirror   Debian mirror for debootstrap; empty means the host's apt configuration
 * @param voidRepository Void Linux repository for xbps; empty means the host's xbps configuration
 *                       or the official default
 */
public record ImageConfig(String defaultImage, Optional<URI> debianMirror, Optional<URI> voidRepository) {
    public static final ImageConfig DEFAULTS = new ImageConfig("default", Optional.empty(), Optional.empty());

    public ImageConfig {
        Objects.requireNonNull(defaultImage, "defaultImage");
        Objects.requireNonNull(debianMirror, "debianMirror");
        Objects.requireNonNull(voidRepository, "voidRepository");
    }
}
