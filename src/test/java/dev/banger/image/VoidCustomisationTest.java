package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Void side of the shared customisation plan: runit services, mise installing opencode, and its cleanup. */
class VoidCustomisationTest {
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKs2cHRlc3RrZXl0ZXN0a2V5 banger-runtime";

    private static CustomisationPlan plan(Distro distro, Profile profile) {
        return GuestCustomisation.plan(new CustomisationInputs(distro, profile, KEY, 10000, "1.18.33", "2026.9.15"));
    }

    @Test
    void pinnedMiseIsInstalledFirstAndThenInstallsPinnedOpencode() {
        assertThat(plan(Distro.VOID, Profile.DEV).chrootCommands()).containsExactly(
                List.of("npm", "install", "--global", "--prefix", "/usr/local", "--no-fund", "--no-audit", "@jdxcode/mise@2026.9.15"),
                List.of("/usr/local/bin/mise", "--yes", "use", "--global", "npm:opencode-ai@1.18.33"),
                List.of("/usr/local/bin/mise", "reshim"));
    }

    @Test
    void rootsBashFindsMiseShimsAndActivatesMise() {
        CustomisationPlan plan = plan(Distro.VOID, Profile.DEV);

        String bashrc = plan.file("/root/.bashrc").orElseThrow().content();
        assertThat(bashrc).contains("export PATH=" + GuestCustomisation.ROOT_PATH + ":$HOME/.local/bin:/root/.local/share/mise/shims")
                .contains("eval \"$(mise activate bash)\"");
        assertThat(bashrc.indexOf("/root/.local/share/mise/shims")).as("on PATH before the interactive-only part")
                .isLessThan(bashrc.indexOf("case $-"));
        assertThat(plan.file("/etc/profile.d/mise.sh")).isPresent();
        assertThat(plan.file("/etc/sv/opencode/run").orElseThrow().content())
                .contains("export PATH=/root/.local/share/mise/shims:").contains("exec opencode serve --hostname 0.0.0.0 --port 4096");
    }

    @Test
    void miseDownloadsCachesAndStateAreClearedBeforeSealingButItsToolsStay() {
        List<String> cleanup = plan(Distro.VOID, Profile.DEV).cleanupPaths().stream().map(CleanupPath::pattern).toList();

        assertThat(cleanup).contains("/root/.local/share/mise/downloads", "/root/.local/share/mise/tmp", "/root/.cache/mise",
                "/root/.local/state/mise", "/root/.npm", "/var/cache/xbps/*", "/tmp/*")
                .doesNotContain("/root/.local/share/mise", "/root/.local/share/mise/installs");
    }

    @Test
    void theDebianPlanAndMinimalVoidImagesAreUntouchedByMise() {
        assertThat(plan(Distro.DEBIAN, Profile.DEV).chrootCommands())
                .noneMatch(c -> c.contains("use")).anySatisfy(c -> assertThat(c).contains("opencode-ai@1.18.33"));
        assertThat(plan(Distro.DEBIAN, Profile.DEV).cleanupPaths()).extracting(CleanupPath::pattern).noneMatch(p -> p.contains("mise"));
        CustomisationPlan minimal = plan(Distro.VOID, Profile.MINIMAL);
        assertThat(minimal.chrootCommands()).isEmpty();
        assertThat(minimal.file("/root/.bashrc").orElseThrow().content()).doesNotContain("mise");
        assertThat(minimal.cleanupPaths()).extracting(CleanupPath::pattern).noneMatch(p -> p.contains("mise"));
    }
}
