package dev.banger.image;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link GuestCustomisation} needs to plan a guest: distro, profile, the runtime bundle's
 * public key(s) for root, the agent's vsock port and the pinned opencode and mise versions.
 * Validated on construction. Immutable value.
 *
 * @param distro          which init system and paths to plan for
 * @param profile         {@link Profile#DEV} adds opencode and mise
 * @param authorizedKeys  OpenSSH public key lines for root (never a private key)
 * @param agentPort       vsock port the agent listens on
 * @param opencodeVersion exact npm version of {@code opencode-ai}, e.g. {@code 0.15.2}
 * @param miseVersion     exact npm version of {@code @jdxcode/mise}, e.g. {@code 2025.1.6}
 */
public record CustomisationInputs(
        Distro distro, Profile profile, String authorizedKeys, int agentPort, String opencodeVersion, String miseVersion) {
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.-]+)?");
    private static final Pattern KEY_LINE = Pattern.compile(
            "(?:ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com)"
                    + " [A-Za-z0-9+/]+={0,3}(?: [^\\n]*)?");

    public CustomisationInputs {
        Objects.requireNonNull(distro, "distro");
        Objects.requireNonNull(profile, "profile");
        if (authorizedKeys == null || authorizedKeys.isBlank()) {
            throw ImageException.invalid("no public key for root; point the runtime bundle at its SSH public key");
        }
        if (authorizedKeys.contains("PRIVATE KEY")) {
            throw ImageException.invalid("the authorized key text is a private key; pass the .pub file instead");
        }
        for (String line : authorizedKeys.strip().split("\\R")) {
            String key = line.strip();
            if (!key.isEmpty() && !key.startsWith("#") && !KEY_LINE.matcher(key).matches()) {
                throw ImageException.invalid("'" + abbreviate(key) + "' is not an OpenSSH public key line"
                        + " (expected e.g. 'ssh-ed25519 AAAA... comment')");
            }
        }
        if (agentPort < 1 || agentPort > 0x7fffffff) {
            throw ImageException.invalid("agent port " + agentPort + " is out of range 1..2147483647");
        }
        checkVersion("opencode", opencodeVersion);
        checkVersion("mise", miseVersion);
    }

    private static void checkVersion(String what, String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw ImageException.invalid(what + " version '" + version
                    + "' is not pinned; set an exact version such as 1.2.3 in the image config");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
