package dev.banger.image;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What every builder takes from the host besides the request: the agent binary and SSH public key
 * from the runtime bundle, the agent's vsock port, the pinned dev-profile versions, where to cache
 * downloads, and the banger version for the manifest. Immutable value.
 *
 * @param agentBinary     the static guest agent to install
 * @param authorizedKeys  the runtime bundle's public key text, authorised for root
 * @param agentPort       vsock port the agent listens on
 * @param opencodeVersion exact {@code opencode-ai} version for dev images
 * @param miseVersion     exact {@code @jdxcode/mise} version for dev images
 * @param cacheDir        {@code $BANGER_CACHE_DIR}; builders keep package downloads below it
 * @param bangerVersion   recorded in the manifest
 */
public record BuilderInputs(
        Path agentBinary,
        String authorizedKeys,
        int agentPort,
        String opencodeVersion,
        String miseVersion,
        Path cacheDir,
        String bangerVersion) {
    public BuilderInputs {
        Objects.requireNonNull(agentBinary, "agentBinary");
        Objects.requireNonNull(authorizedKeys, "authorizedKeys");
        Objects.requireNonNull(opencodeVersion, "opencodeVersion");
        Objects.requireNonNull(miseVersion, "miseVersion");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(bangerVersion, "bangerVersion");
    }

    CustomisationInputs customisation(Distro distro, Profile profile) {
        return new CustomisationInputs(distro, profile, authorizedKeys, agentPort, opencodeVersion, miseVersion);
    }
}
