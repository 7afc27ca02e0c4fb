package dev.banger.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Stages the real Debian cloud kernel from apt (as `banger runtime bootstrap` does) and boots the
 * staged bzImage + initrd under QEMU TCG with a tiny ext4 root whose init prints a marker.
 */
@Tag("root")
class DebianKernelStagingTest {
    private static final ProcessHostCommands HOST = new ProcessHostCommands();
    private static Path tmp;
    private static KernelStager.StagedKernel kernel;

    @BeforeAll
    static void stage() throws Exception {
        tmp = Files.createTempDirectory("banger-kernel-staging");
        BundleSpec spec = BundleSpecLoader.load(Path.of("config/runtime-bundle.toml"));
        kernel = new DebianKernelStager(HOST, tmp.resolve("cache"), spec.debianKernel(), Initramfs.hostBusybox()).stage();
    }

    @AfterAll
    static void cleanUp() {
        RuntimeBootstrap.deleteTree(tmp);
    }

    @Test
    void vmlinuxIsTheElfKernelExtractedFromTheDebianBzImage() throws Exception {
        Path vmlinux = kernel.output(KernelStager.VMLINUX).orElseThrow();
        byte[] start = new byte[4];
        try (InputStream in = Files.newInputStream(vmlinux)) {
            assertThat(in.readNBytes(start, 0, 4)).isEqualTo(4);
        }
        assertThat(BzImage.isElf(start)).isTrue();
        Path bzImage = kernel.output(KernelStager.BZIMAGE).orElseThrow();
        assertThat(Files.size(vmlinux)).isGreaterThan(Files.size(bzImage));
        assertThat(kernel.release()).matches("\\d+\\.\\d+\\.\\d+-\\d+-cloud-amd64");
        assertThat(kernel.sourceSha256()).isEqualTo(Sha256.of(tmp.resolve("cache/kernel/debs").resolve(kernel.source())));
    }

    @Test
    void modulesTarballHoldsTheSameRelease() {
        CommandResult listing = HOST.run(Command.of("tar", "-tzf",
                kernel.output(KernelStager.MODULES).orElseThrow().toString()).withTimeout(Duration.ofMinutes(1)));
        assertThat(listing.stdout()).contains("lib/modules/" + kernel.release() + "/kernel/drivers/block/virtio_blk.ko");
    }

    @Test
    void stagedKernelAndInitrdBootAnExt4RootOnVirtioBlk() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("rootfs"));
        for (String dir : new String[] {"bin", "sbin", "dev", "proc", "sys"}) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.copy(Initramfs.hostBusybox(), root.resolve("bin/busybox"));
        RuntimeBootstrap.setMode(root.resolve("bin/busybox"), "0755");
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.writeString(root.resolve("sbin/init"), "#!/bin/sh\necho BANGER-ROOT-OK\n/bin/busybox poweroff -f\n");
        RuntimeBootstrap.setMode(root.resolve("sbin/init"), "0755");
        Path image = tmp.resolve("root.ext4");
        HOST.run(Command.of("mkfs.ext4", "-q", "-F", "-d", root.toString(), image.toString(), "16M"));

        // The timeout bounds the boot and kills QEMU if the marker never comes.
        CommandResult boot = HOST.exec(Command.of("qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-smp", "1",
                        "-nographic", "-no-reboot", "-nic", "none",
                        "-kernel", kernel.output(KernelStager.BZIMAGE).orElseThrow().toString(),
                        "-initrd", kernel.output(KernelStager.INITRD).orElseThrow().toString(),
                        "-drive", "file=" + image + ",format=raw,if=virtio",
                        "-append", "console=ttyS0 root=/dev/vda rw panic=1 quiet")
                .withTimeout(Duration.ofSeconds(90)));

        assertThat(boot.stdout()).as("guest console").contains("BANGER-ROOT-OK");
        assertThat(boot.exitCode()).isZero();
    }
}
