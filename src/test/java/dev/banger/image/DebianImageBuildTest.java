package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerPaths;
import dev.banger.host.Command;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import dev.banger.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real minimal-profile Debian build through the catalog, as {@code banger image build} runs it
 * (debootstrap from the host's apt mirror, downloads cached under {@code $BANGER_CACHE_DIR}), then
 * the produced ext4 files inspected with debugfs, without mounting them.
 */
@Tag("root")
class DebianImageBuildTest {
    private static final ProcessHostCommands HOST = new ProcessHostCommands();
    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static Path state;
    private static Store store;
    private static Image image;
    private static String publicKey;
    private static final List<String> STAGES = new ArrayList<>();

    @BeforeAll
    static void build() throws IOException {
        state = Files.createTempDirectory("banger-image-build");
        Path key = state.resolve("id_ed25519");
        HOST.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "banger-test", "-f", key.toString());
        publicKey = Files.readString(state.resolve("id_ed25519.pub")).strip();
        BuilderInputs inputs = new BuilderInputs(PROJECT.resolve("build/dist/agent/banger-agent"), publicKey, 10000,
                "1.18.33", "2026.9.15", BangerPaths.fromEnvironment().cacheDir(), "test");
        DebianImageBuilder debian = new DebianImageBuilder(HOST, () -> inputs,
                release -> AptSources.mirrorFor(Path.of("/etc/apt"), release), Clock.systemUTC());
        store = Store.open(state.resolve("state.db"));
        ImageCatalog catalog = new ImageCatalog(state, store.images(), HOST, List.of(debian), Clock.systemUTC());
        image = catalog.build(new ImageBuildRequest("minimal", Distro.DEBIAN, Profile.MINIMAL, "bookworm",
                ImageBuildRequest.MIN_ROOTFS_BYTES, Optional.empty()), new dev.banger.model.StageRunner() {
                    @Override
                    public <T> T call(String stage, Supplier<T> work) {
                        STAGES.add(stage);
                        return work.get();
                    }
                });
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (store != null) {
            store.close();
        }
        GuestTree.deleteTree(state);
    }

    @Test
    void everyStageRanAndTheImageIsReadyWithItsOwnBootStack() {
        assertThat(STAGES).containsExactly("validate", "debootstrap", "packages", "customise", "kernel", "work-seed", "rootfs", "manifest", "install");
        assertThat(image.status()).isEqualTo(ImageStatus.READY);
        ImageManifest manifest = ImageManifest.fromJson(image.manifestJson(), "manifest");
        assertThat(manifest.kernelVersion()).matches("\\d+\\.\\d+\\.\\d+-\\d+-cloud-amd64");
        assertThat(manifest.packages()).contains("openssh-server").doesNotContain("nodejs");
        assertThat(manifest.identityOverAgent()).isTrue();
        assertThat(rootfs("ls -l /lib/modules")).contains(manifest.kernelVersion());
        assertThat(image.initrd()).isRegularFile();
        assertThat(Ext4Images.isExt4(image.rootfs())).isTrue();
    }

    @Test
    void sshdTakesOnlyTheBundleKeyForRootAndNoHostKeyIsBakedIn() {
        assertThat(rootfs("cat /etc/ssh/sshd_config.d/50-banger.conf"))
                .contains("PermitRootLogin prohibit-password").contains("PasswordAuthentication no");
        assertThat(seed("cat /.ssh/authorized_keys").strip()).isEqualTo(publicKey);
        assertThat(seed("stat /.ssh/authorized_keys")).contains("Mode:  0600");
        assertThat(rootfs("ls /etc/ssh")).contains("sshd_config").doesNotContain("ssh_host_");
        assertThat(rootfs("cat /etc/ssh/sshd_config.d/50-banger.conf")).contains("HostKey /etc/ssh/ssh_host_ed25519_key");
        assertThat(rootfs("stat /usr/local/sbin/banger-host-keys")).contains("Mode:  0755");
        assertThat(rootfs("stat /usr/local/sbin/banger-identity-apply")).contains("Mode:  0755");
    }

    @Test
    void theAgentNetworkHostKeyAndMountServicesAreEnabled() {
        assertThat(rootfs("ls /etc/systemd/system/sysinit.target.wants"))
                .contains("banger-agent.service").contains("banger-net.service");
        assertThat(rootfs("stat /usr/local/bin/banger-agent")).contains("Mode:  0755");
        assertThat(rootfs("cat /etc/fstab")).contains("/dev/vda  /  ext4").doesNotContain("LABEL=banger-work");
        assertThat(rootfs("stat /usr/local/sbin/banger-mounts")).contains("Mode:  0755");
        assertThat(rootfs("ls /etc/systemd/system/local-fs.target.wants")).contains("banger-mounts.service");
    }

    @Test
    void theWorkSeedIsFlatAndMatchesItsFingerprint() throws IOException {
        String listing = seed("ls /");
        assertThat(listing).contains(".bashrc").contains(".ssh").doesNotContain(" root ");
        Path scratch = Files.createTempDirectory(state, "check");
        assertThat(new WorkSeeds(new Ext4Images(HOST)).fingerprint(image.workSeed(), scratch)).isEqualTo(image.workSeedFingerprint());
    }

    @Test
    void cachesLogsAndInstanceStateAreClearedBeforeSealing() {
        assertThat(rootfs("ls /var/cache/apt/archives")).doesNotContain(".deb");
        assertThat(rootfs("ls /var/lib/apt/lists")).doesNotContain("Packages");
        assertThat(rootfs("stat /etc/machine-id")).contains("Size: 0");
        assertThat(rootfs("ls /var/log")).doesNotContain("dpkg.log").doesNotContain("apt");
    }

    @Test
    void theDownloadsAreCachedForTheNextBuild() throws IOException {
        Path cache = BangerPaths.fromEnvironment().cacheDir().resolve("debootstrap/bookworm");
        try (var debs = Files.list(cache)) {
            assertThat(debs.filter(p -> p.getFileName().toString().endsWith(".deb")).count()).isGreaterThan(100);
        }
    }

    private static String rootfs(String request) {
        return debugfs(image.rootfs(), request);
    }

    private static String seed(String request) {
        return debugfs(image.workSeed(), request);
    }

    private static String debugfs(Path file, String request) {
        return HOST.run(Command.of("debugfs", "-R", request, file.toString()).withTimeout(Duration.ofMinutes(1))).stdout();
    }
}
