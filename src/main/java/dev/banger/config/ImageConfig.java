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
 *                        ({@code repository=} lines under {@code /etc/xbps.d})
 * @param xbpsInstall     the {@code xbps-install} program (a name looked up on PATH or an absolute
 *                        path, typically Void's static build); empty means {@code xbps-install.static},
 *                        else {@code xbps-install}, on PATH
 * @param opencodeVersion exact npm version of {@code opencode-ai} baked into dev images
 * @param miseVersion     exact npm version of {@code @jdxcode/mise} baked into dev images
 */
public record ImageConfig(
        String defaultImage,
        Optional<URI> debianMirror,
        Optional<URI> voidRepository,
        Optional<String> xbpsInstall,
        String opencodeVersion,
        String miseVersion) {
    public static final ImageConfig DEFAULTS =
            new ImageConfig("default", Optional.empty(), Optional.empty(), Optional.empty(), "1.18.33", "2026.9.15");

    public ImageConfig {
        Objects.requireNonNull(defaultImage, "defaultImage");
        Objects.requireNonNull(debianMirror, "debianMirror");
        Objects.requireNonNull(voidRepository, "voidRepository");
        Objects.requireNonNull(xbpsInstall, "xbpsInstall");
        Objects.requireNonNull(opencodeVersion, "opencodeVersion");
        Objects.requireNonNull(miseVersion, "miseVersion");
    }
}
