package dev.banger.image;

import java.util.List;

/**
 * How dev-profile Void images get their tools: pinned mise (the npm package
 * {@code @jdxcode/mise}, so it comes through the same registry as the Debian image's), then
 * opencode installed by that mise ({@code npm:opencode-ai}, pinned in root's global mise config),
 * with mise's shims on root's PATH so services and non-interactive shells find opencode too. Its
 * data lives under {@code /root} and so travels with the work seed; its downloads, caches and state
 * are cleared before the rootfs and the work seed are sealed. Scoped to Void: the Debian image
 * installs both from npm, and the package manifests name no language tool. Stateless and thread-safe.
 */
final class VoidMise {
    static final String PROGRAM = GuestCustomisation.NPM_PREFIX + "/bin/mise";
    static final String DATA_DIR = "/root/.local/share/mise";
    static final String SHIMS = DATA_DIR + "/shims";

    private VoidMise() {}

    /** The commands, run inside the root with {@code HOME=/root}, that install mise and then opencode with it. */
    static List<List<String>> install(String miseVersion, String opencodeVersion) {
        return List.of(
                List.of("npm", "install", "--global", "--prefix", GuestCustomisation.NPM_PREFIX, "--no-fund", "--no-audit",
                        "@jdxcode/mise@" + miseVersion),
                List.of(PROGRAM, "--yes", "use", "--global", "npm:opencode-ai@" + opencodeVersion),
                List.of(PROGRAM, "reshim"));
    }

    /** mise's downloads, caches and state; the installed tools and the global config stay. */
    static List<CleanupPath> cleanup() {
        return List.of(
                CleanupPath.delete(DATA_DIR + "/downloads"),
                CleanupPath.delete(DATA_DIR + "/tmp"),
                CleanupPath.delete("/root/.cache/mise"),
                CleanupPath.delete("/root/.local/state/mise"));
    }
}
