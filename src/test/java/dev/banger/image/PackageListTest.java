package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PackageListTest {
    private static final Path DEBIAN = Path.of("config", Distro.DEBIAN.packageFileName());
    private static final Path VOID = Path.of("config", Distro.VOID.packageFileName());

    @Test
    void linesBecomeOrderedEntriesWithMeaningAndProfiles() {
        PackageList list = PackageList.parse("""
                # a comment
                git        # vcs

                npm  # node-package-manager [dev]
                -    # nothing-here [dev, minimal]
                """, "test.list");

        assertThat(list.entries()).containsExactly(
                new PackageEntry(Optional.of("git"), "vcs", Set.of(Profile.DEV, Profile.MINIMAL), 2),
                new PackageEntry(Optional.of("npm"), "node-package-manager", Set.of(Profile.DEV), 4),
                new PackageEntry(Optional.empty(), "nothing-here", Set.of(Profile.DEV, Profile.MINIMAL), 5));
        assertThat(list.meanings()).containsExactly("vcs", "node-package-manager", "nothing-here");
    }

    @Test
    void forProfileKeepsFileOrderAndDropsOtherProfilesAndPlaceholders() {
        PackageList list = PackageList.parse("""
                curl  # http-client
                npm   # node-package-manager [dev]
                -     # placeholder
                jq    # json-tool
                """, "test.list");

        assertThat(list.forProfile(Profile.DEV)).containsExactly("curl", "npm", "jq");
        assertThat(list.forProfile(Profile.MINIMAL)).containsExactly("curl", "jq");
    }

    @Test
    void aDuplicatePackageNamesFileAndBothLines() {
        assertThatThrownBy(() -> PackageList.parse("git # vcs\ncurl # http\ngit # vcs-again\n", "packages.x"))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("packages.x:3:")
                .hasMessageContaining("'git' is already listed on line 1");
    }

    @Test
    void aDuplicateMeaningIsAnError() {
        assertThatThrownBy(() -> PackageList.parse("vim # editor\nnano # editor\n", "packages.x"))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("packages.x:2:")
                .hasMessageContaining("meaning 'editor'");
    }

    @Test
    void aLineWithoutMeaningNamesFileAndLine() {
        assertThatThrownBy(() -> PackageList.parse("git # vcs\n\ncurl\n", "packages.x"))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("packages.x:3:")
                .hasMessageContaining("no meaning");
        assertThatThrownBy(() -> PackageList.parse("curl #   \n", "packages.x"))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("packages.x:1:");
    }

    @Test
    void aBadPackageNameIsRejected() {
        assertThatThrownBy(() -> PackageList.parse("Git # vcs\n", "packages.x"))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("packages.x:1:")
                .hasMessageContaining("'Git' is not a package name");
        assertThatThrownBy(() -> PackageList.parse("-rf # oops\n", "packages.x"))
                .hasMessageContaining("'-rf' is not a package name");
    }

    @Test
    void anUnknownProfileTagIsRejected() {
        assertThatThrownBy(() -> PackageList.parse("npm # node-package-manager [desktop]\n", "packages.x"))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("packages.x:1:")
                .hasMessageContaining("desktop");
    }

    @Test
    void debianAndVoidListsHaveTheSameMeaningsInTheSameOrder() {
        PackageList debian = PackageList.read(DEBIAN);
        PackageList voidList = PackageList.read(VOID);

        assertThat(debian.meanings()).isNotEmpty().isEqualTo(voidList.meanings());
        assertThat(debian.entries()).extracting(PackageEntry::profiles)
                .isEqualTo(voidList.entries().stream().map(PackageEntry::profiles).toList());
    }

    @Test
    void debianBaselineHasWhatTheProfilesNeed() {
        PackageList debian = PackageList.read(DEBIAN);

        assertThat(debian.forProfile(Profile.MINIMAL)).contains(
                "dbus", "systemd-sysv", "udev", "openssh-server", "curl", "ca-certificates", "git",
                "build-essential", "vim", "nano", "less", "jq", "unzip", "zip", "procps", "iproute2",
                "iputils-ping", "htop", "tmux", "rsync", "file", "xz-utils")
                .doesNotContain("nodejs", "npm");
        assertThat(debian.forProfile(Profile.DEV)).contains("nodejs", "npm");
    }

    @Test
    void voidUsesItsOwnPackageNames() {
        PackageList voidList = PackageList.read(VOID);

        assertThat(voidList.forProfile(Profile.MINIMAL))
                .contains("base-devel", "openssh", "procps-ng", "bind-utils", "iproute2", "ca-certificates", "dbus")
                .doesNotContain("build-essential", "openssh-server", "procps");
    }
}
