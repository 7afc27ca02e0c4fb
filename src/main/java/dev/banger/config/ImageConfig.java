package dev.banger.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [image]} table: which image new VMs use, where image builders fetch packages, and the
 * exact versions of what the dev profile installs from npm. Immutable.
 *
 * @param defaultImage    image name used when {@code vm create} names none and none was promoted
 * @param debianMirror    Debian mirror for debootstrap; empty means the host's apt configuration
 * @param voidRepository  Void Linux repository for xbps; empty means the host's xbps configuration
 *                        or the official default
 * @param opencodeVersion exact npm version of {@code opencode-ai} baked into dev images
 * @param miseVersion     exact npm version of {@code @jdxcode/mise} baked into dev images
 */
public record ImageConfig(
        String defaultImage,
        Optional<URI> debianMirror,
        Optional<URI> voidRepository,
        String opencodeVersion,
        String miseVersion) {
    public static final ImageConfig DEFAULTS =
            new ImageConfig("default", Optional.empty(), Optional.empty(), "1.18.33", "2026.9.15");

    public ImageConfig {
        Objects.requireNonNull(defaultImage, "defaultImage");
        Objects.requireNonNull(debianMirror, "debianMirror");
        Objects.requireNonNull(voidRepository, "voidRepository");
        Objects.requireNonNull(opencodeVersion, "opencodeVersion");
        Objects.requireNonNull(miseVersion, "miseVersion");
    }
}
