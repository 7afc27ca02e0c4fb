package dev.banger.vmm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.RecordingHostCommands;
import dev.banger.vmm.VmmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JailBuilderTest {
    @TempDir
    Path dir;

    @Test
    void probeResolvesLinksAndTellsRegularFilesFromOtherKinds() throws Exception {
        Path disk = Files.writeString(dir.resolve("root.ext4"), "disk");
        Path link = Files.createSymbolicLink(dir.resolve("current.ext4"), disk);

        JailPlan.Source source = JailBuilder.probe(link);

        assertThat(source.realPath()).isEqualTo(disk.toRealPath());
        assertThat(source.kind()).isEqualTo(JailPlan.Kind.REGULAR_FILE);
        assertThat(source.fileSystem()).isEqualTo(JailBuilder.fileSystemOf(dir));
        assertThat(JailBuilder.probe(dir.resolve("absent")).kind()).isEqualTo(JailPlan.Kind.MISSING);
        assertThat(JailBuilder.probe(Path.of("/dev/null")).kind()).as("a character device").isEqualTo(JailPlan.Kind.OTHER);
    }

    @Test
    void deviceNumbersAreSplitAsGlibcDoes() {
        long dmSnapshot = (253L << 8) | 3;
        long largeMinor = ((259L & 0xfff) << 8) | (300L & 0xff) | ((300L & ~0xffL) << 12);

        assertThat(JailBuilder.major(dmSnapshot)).isEqualTo(253);
        assertThat(JailBuilder.minor(dmSnapshot)).isEqualTo(3);
        assertThat(JailBuilder.major(largeMinor)).isEqualTo(259);
        assertThat(JailBuilder.minor(largeMinor)).isEqualTo(300);
    }

    @Test
    void buildRemovesTheOldJailThenLinksCopiesCreatesAndMakesDeviceNodesThroughTheHost() throws Exception {
        Path vmDir = Files.createDirectories(dir.resolve("vms/dev1"));
        JailLayout jail = new JailLayout(vmDir, "firecracker", "dev1");
        Path stale = Files.createDirectories(jail.root().resolve("dev/net")).resolve("tun");
        Files.writeString(stale, "left by the last jailer");
        Path kernel = Files.writeString(dir.resolve("vmlinux"), "kernel");
        Path initrd = Files.writeString(dir.resolve("initrd.img"), "initrd");
        Path root = Files.writeString(vmDir.resolve("root.ext4"), "root disk");
        Files.writeString(jail.vmmLog(), "old log");
        RecordingHostCommands host = new RecordingHostCommands();
        JailPlan plan = new JailPlan(jail, Specs.full(vmDir), List.of(
                new JailPlan.Link(kernel, jail.kernel()),
                new JailPlan.Copy(initrd, jail.initrd()),
                new JailPlan.Link(root, jail.drive("root")),
                new JailPlan.DeviceNode(jail.drive("work"), 253, 3),
                new JailPlan.EmptyFile(jail.vmmLog())));

        JailBuilder.build(plan, host);

        assertThat(stale).doesNotExist();
        assertThat(Files.isSameFile(jail.kernel(), kernel)).isTrue();
        assertThat(Files.getAttribute(jail.drive("root"), "unix:ino")).as("a hard link: the guest writes the VM's disk")
                .isEqualTo(Files.getAttribute(root, "unix:ino"));
        assertThat(jail.initrd()).hasContent("initrd");
        assertThat(Files.getAttribute(jail.initrd(), "unix:ino")).isNotEqualTo(Files.getAttribute(initrd, "unix:ino"));
        assertThat(jail.vmmLog()).isEmptyFile();
        assertThat(host.recorded()).containsExactly(
                List.of("mknod", "-m", "0600", jail.drive("work").toString(), "b", "253", "3"));
    }

    @Test
    void sourceThatCannotBeLinkedFailsNamingTheJail() {
        Path vmDir = dir.resolve("vms/dev1");
        JailLayout jail = new JailLayout(vmDir, "firecracker", "dev1");
        JailPlan plan = new JailPlan(jail, Specs.full(vmDir), List.of(new JailPlan.Link(dir.resolve("absent"), jail.kernel())));

        assertThatThrownBy(() -> JailBuilder.build(plan, new RecordingHostCommands()))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("could not prepare the jail " + jail.chrootBase())
                .hasMessageContaining("absent");
    }
}
