package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import dev.banger.model.StageRunner;
import dev.banger.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole Void build through the catalog, offline: a fake {@code xbps-install} (a shell script in
 * a fake xbps-static layout, with a repository key beside it) lays out what the Void packages
 * would, from a local {@code file:} repository; the commands that would run inside the root
 * (chroot, mounts, mknod) are recorded instead of run, and everything else (copies, tar,
 * mkfs.ext4, debugfs) is real.
 */
class VoidImageBuildTest {
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKs2cHRlc3RrZXl0ZXN0a2V5 banger-runtime";
    private static final String KERNEL = "6.6.52_1";

    @TempDir
    Path tmp;

    private Store store;
    private ImageCatalog catalog;
    private FakeRootHost host;
    private Path repository;
    private Path xbps;
    private final List<String> stages = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        repository = Files.createDirectories(tmp.resolve("repo/current"));
        Files.writeString(repository.resolve("x86_64-repodata"), "fake index");
        Path kernel = tmp.resolve("vmlinuz");
        Files.write(kernel, fakeBzImage());
        xbps = tmp.resolve("xbps-static/usr/bin/xbps-install.static");
        Files.createDirectories(xbps.getParent());
        Files.createDirectories(tmp.resolve("xbps-static/var/db/xbps/keys"));
        Files.writeString(tmp.resolve("xbps-static/var/db/xbps/keys/60:ae:0c:d6.plist"), "<plist/>");
        Files.writeString(xbps, fakeXbpsInstall(kernel, tmp.resolve("xbps-args")));
        Files.setPosixFilePermissions(xbps, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path agent = Files.writeString(tmp.resolve("banger-agent"), "agent");

        host = new FakeRootHost();
        BuilderInputs inputs = new BuilderInputs(agent, KEY, 10000, "1.18.33", "2026.9.15", tmp.resolve("cache"), "test");
        VoidImageBuilder builder = new VoidImageBuilder(host, () -> inputs, () -> repository.toUri(),
                () -> XbpsTool.locate(Optional.of(xbps.toString()), ""), Clock.systemUTC());
        store = Store.open(tmp.resolve("state.db"));
        catalog = new ImageCatalog(tmp.resolve("state"), store.images(), host, List.of(builder), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Image build(Profile profile) {
        return catalog.build(new ImageBuildRequest("void-exp", Distro.VOID, profile, VoidImageBuilder.DEFAULT_RELEASE,
                ImageBuildRequest.MIN_ROOTFS_BYTES, Optional.empty()), new StageRunner() {
                    @Override
                    public <T> T call(String stage, Supplier<T> work) {
                        stages.add(stage);
                        return work.get();
                    }
                });
    }

    @Test
    void everyStageRunsAndTheImageBootsItsOwnVoidKernel() throws IOException {
        Image image = build(Profile.MINIMAL);

        assertThat(stages).containsExactly("validate", "repository", "xbps", "initramfs", "customise", "kernel",
                "work-seed", "rootfs", "manifest", "install");
        assertThat(image.status()).isEqualTo(ImageStatus.READY);
        ImageManifest manifest = ImageManifest.fromJson(image.manifestJson(), "manifest");
        assertThat(manifest.distro()).isEqualTo(Distro.VOID);
        assertThat(manifest.release()).isEqualTo("current");
        assertThat(manifest.identityOverAgent()).isTrue();
        assertThat(manifest.kernelVersion()).isEqualTo(KERNEL);
        assertThat(manifest.packages()).isEqualTo(PackageList.bundled(Distro.VOID).forProfile(Profile.MINIMAL))
                .contains("runit-void", "openssh").doesNotContain("nodejs", "linux", "base-minimal");
        assertThat(Files.readAllBytes(image.kernel())).startsWith(0x7f, 'E', 'L', 'F');
        assertThat(Files.readString(image.initrd())).isEqualTo("void initramfs");
        String modules = new ProcessHostCommands().run("tar", "-tzf", image.modules().toString()).stdout();
        assertThat(modules).contains("usr/lib/modules/" + KERNEL + "/kernel/virtio_blk.ko");
        assertThat(rootfs(image, "ls -l /usr/lib/modules")).contains(KERNEL);
    }

    @Test
    void xbpsInstallsFromTheConfiguredRepositoryWithTheTrustedKeysInPlace() throws IOException {
        build(Profile.MINIMAL);

        List<String> args = Files.readAllLines(tmp.resolve("xbps-args"));
        assertThat(args).containsSubsequence("--repository", repository.toUri().toString())
                .containsSubsequence("--cachedir", tmp.resolve("cache/xbps").toString())
                .contains("base-minimal", "linux", "dracut", "openssh", "runit-void");
        assertThat(args).filteredOn(a -> a.startsWith("keys-present:")).containsExactly("keys-present:60:ae:0c:d6.plist");
        assertThat(args).contains("XBPS_ARCH=x86_64");
        assertThat(host.faked).filteredOn(a -> a.getFirst().equals("mknod")).hasSize(XbpsPlan.DEVICE_NODES.size());
    }

    @Test
    void aGenericInitramfsIsMadeInsideTheRootForTheInstalledKernel() {
        Image image = build(Profile.MINIMAL);

        assertThat(host.insideRoot()).contains(VoidSystemFiles.dracutArgv(KERNEL));
        assertThat(rootfs(image, "cat " + VoidSystemFiles.DRACUT_CONF)).contains("hostonly=\"no\"");
    }

    @Test
    void sshdAgentAndRunitServicesAreSetUpAndRootUsesBash() {
        Image image = build(Profile.MINIMAL);

        assertThat(rootfs(image, "cat /etc/ssh/sshd_config")).startsWith("# banger").contains("Include /etc/ssh/sshd_config.d/*.conf");
        assertThat(rootfs(image, "cat /etc/ssh/sshd_config.d/50-banger.conf")).contains("PasswordAuthentication no");
        assertThat(rootfs(image, "cat /etc/passwd")).contains("root:x:0:0:root:/root:/bin/bash");
        assertThat(rootfs(image, "stat /etc/runit/runsvdir/default/sshd")).contains("Type: symlink");
        assertThat(rootfs(image, "stat /etc/runit/runsvdir/default/banger-agent")).contains("Type: symlink");
        assertThat(rootfs(image, "cat /etc/sv/banger-agent/run")).contains("--port 10000");
        assertThat(rootfs(image, "ls /etc/runit/core-services")).contains("50-banger-net.sh").contains("51-banger-ssh-hostkeys.sh");
        assertThat(rootfs(image, "ls /etc/ssh")).doesNotContain("ssh_host_");
        assertThat(rootfs(image, "cat /etc/sv/sshd/run")).doesNotContain("ssh-keygen");
        assertThat(rootfs(image, "stat /usr/local/sbin/banger-identity-apply")).contains("Mode:  0755");
        assertThat(rootfs(image, "stat /usr/local/sbin/banger-host-keys")).contains("Mode:  0755");
        assertThat(seed(image, "cat /.ssh/authorized_keys").strip()).isEqualTo(KEY);
    }

    @Test
    void packageCachesAndLogsAreClearedBeforeSealing() {
        Image image = build(Profile.MINIMAL);

        assertThat(rootfs(image, "ls /var/cache/xbps")).doesNotContain("openssh-9.8p1_1.x86_64.xbps");
        assertThat(rootfs(image, "ls /var/log")).doesNotContain("xbps.log");
    }

    @Test
    void devImagesGetPinnedMiseWhichInstallsOpencodeAndMiseLeftoversAreCleared() {
        Image image = build(Profile.DEV);

        assertThat(host.insideRoot()).containsSubsequence(
                List.of("npm", "install", "--global", "--prefix", "/usr/local", "--no-fund", "--no-audit", "@jdxcode/mise@2026.9.15"),
                List.of("/usr/local/bin/mise", "--yes", "use", "--global", "npm:opencode-ai@1.18.33"));
        assertThat(host.insideRoot()).noneMatch(c -> c.contains("opencode-ai@1.18.33") && c.getFirst().equals("npm"));
        assertThat(seed(image, "cat /.bashrc")).contains("/root/.local/share/mise/shims").contains("mise activate bash");
        assertThat(seed(image, "ls /.local/share/mise")).contains("installs").contains("shims").doesNotContain("downloads");
        assertThat(seed(image, "ls /")).contains(".local").doesNotContain(".cache");
        assertThat(rootfs(image, "ls /root/.local/share/mise")).doesNotContain("downloads");
        assertThat(rootfs(image, "cat /etc/sv/opencode/run")).contains("/root/.local/share/mise/shims");
        assertThat(ImageManifest.fromJson(image.manifestJson(), "manifest").packages()).contains("nodejs").noneMatch(p -> p.contains("mise"));
    }

    @Test
    void anUnreachableRepositoryFailsFirstNamingTheSettingAndLeavesNothing() throws IOException {
        Files.delete(repository.resolve("x86_64-repodata"));

        assertThatThrownBy(() -> build(Profile.MINIMAL))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("(config image.void_repository) cannot be reached");
        assertThat(stages).containsExactly("validate", "repository");
        assertThat(tmp.resolve("xbps-args")).doesNotExist();
        assertThat(host.faked).isEmpty();
        assertThat(store.images().find("void-exp")).isEmpty();
        assertThat(tmp.resolve("state/images/void-exp")).doesNotExist();
    }

    @Test
    void theBuiltImageCanBePromoted() {
        build(Profile.MINIMAL);

        assertThat(catalog.promote("void-exp").name()).isEqualTo("void-exp");
    }

    private String rootfs(Image image, String request) {
        return debugfs(image.rootfs(), request);
    }

    private String seed(Image image, String request) {
        return debugfs(image.workSeed(), request);
    }

    /** debugfs's answer; never blank, since a listing shows at least . and .., so absence checks cannot pass on an error. */
    private static String debugfs(Path file, String request) {
        String out = new ProcessHostCommands().run(Command.of("debugfs", "-R", request, file.toString())
                .withTimeout(Duration.ofMinutes(1))).stdout();
        assertThat(out).as("debugfs -R '" + request + "'").isNotBlank();
        return out;
    }

    /** A bzImage as far as the boot protocol goes: setup header, then a gzip payload holding an ELF header. */
    private static byte[] fakeBzImage() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        }
        byte[] payload = gz.toByteArray();
        ByteBuffer image = ByteBuffer.allocate(1024 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        image.put(0x1f1, (byte) 1);
        image.putInt(0x202, 0x53726448);
        image.putShort(0x206, (short) 0x020f);
        image.putInt(0x248, 0);
        image.putInt(0x24c, payload.length);
        image.put(1024, payload);
        return image.array();
    }

    /** What the Void packages would leave in the root, enough for every later stage. */
    private static String fakeXbpsInstall(Path kernel, Path argsFile) {
        return """
                #!/bin/sh
                set -eu
                root=
                prev=
                for a in "$@"; do
                    [ "$prev" = --rootdir ] && root=$a
                    prev=$a
                    printf '%%s\\n' "$a" >>'%2$s'
                done
                echo "XBPS_ARCH=${XBPS_ARCH:-}" >>'%2$s'
                for k in "$root"/var/db/xbps/keys/*.plist; do echo "keys-present:${k##*/}" >>'%2$s'; done
                mkdir -p "$root/boot" "$root/usr/lib/modules/%3$s/kernel" "$root/etc/ssh" "$root/etc/sv/sshd" \\
                    "$root/etc/runit/runsvdir/default" "$root/var/cache/xbps" "$root/var/log" "$root/root" "$root/usr/bin"
                ln -s usr/lib "$root/lib"
                cp '%1$s' "$root/boot/vmlinuz-%3$s"
                printf 'void initramfs' >"$root/boot/initramfs-%3$s.img"
                echo module >"$root/usr/lib/modules/%3$s/kernel/virtio_blk.ko"
                printf '#PermitRootLogin prohibit-password\\nSubsystem sftp /usr/libexec/sftp-server\\n' >"$root/etc/ssh/sshd_config"
                printf 'root:x:0:0:root:/root:/bin/sh\\nnobody:x:99:99::/:/bin/false\\n' >"$root/etc/passwd"
                printf '#!/bin/sh\\nexec /usr/bin/sshd -D\\n' >"$root/etc/sv/sshd/run"
                echo package >"$root/var/cache/xbps/openssh-9.8p1_1.x86_64.xbps"
                echo log >"$root/var/log/xbps.log"
                : >"$root/etc/resolv.conf"
                """.formatted(kernel, argsFile, KERNEL);
    }

    /**
     * Runs host commands for real, except those that would enter or change the guest root as the
     * real guest would (chroot, mount, umount, mknod): those are recorded, and {@code mise use}
     * leaves what mise would, downloads and caches included.
     */
    private static final class FakeRootHost implements HostCommands {
        private static final Set<String> FAKED = Set.of("chroot", "mount", "umount", "mknod");
        private final ProcessHostCommands real = new ProcessHostCommands();
        final List<List<String>> faked = new ArrayList<>();

        @Override
        public synchronized CommandResult exec(Command command) {
            List<String> argv = command.argv();
            if (!FAKED.contains(argv.getFirst())) {
                return real.exec(command);
            }
            faked.add(argv);
            if (argv.getFirst().equals("chroot") && argv.contains("use")) {
                Path root = Path.of(argv.get(1));
                try {
                    Path mise = Files.createDirectories(root.resolve("root/.local/share/mise"));
                    Files.createDirectories(mise.resolve("installs/npm-opencode-ai/1.18.33/bin"));
                    Files.createDirectories(mise.resolve("shims"));
                    Files.writeString(Files.createDirectories(mise.resolve("downloads")).resolve("opencode.tgz"), "x");
                    Files.writeString(Files.createDirectories(root.resolve("root/.cache/mise")).resolve("http"), "x");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new CommandResult(command, 0, "", "", Duration.ZERO);
        }

        @Override
        public boolean available(String program) {
            return false;
        }

        /** The commands that would have run inside the guest root, without the chroot prefix. */
        synchronized List<List<String>> insideRoot() {
            return faked.stream().filter(a -> a.getFirst().equals("chroot")).map(a -> a.subList(2, a.size())).toList();
        }
    }
}
