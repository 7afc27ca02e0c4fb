package dev.banger.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.Command;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InitramfsTest {
    private final ProcessHostCommands host = new ProcessHostCommands();
    private Path tmp;
    private Path modules;

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("banger-initramfs");
        modules = tmp.resolve("lib/modules/6.1.0-test");
        Path drivers = Files.createDirectories(modules.resolve("kernel/drivers/virtio"));
        Files.write(drivers.resolve("virtio.ko"), "\0name=virtio\0depends=\0".getBytes(StandardCharsets.US_ASCII));
        Files.write(drivers.resolve("virtio_blk.ko"), "\0name=virtio_blk\0depends=virtio\0".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(modules.resolve("modules.builtin"), "kernel/fs/ext4/ext4.ko\n");
    }

    @AfterEach
    void tearDown() {
        RuntimeBootstrap.deleteTree(tmp);
    }

    @Test
    void initrdHoldsBusyboxInitAndModulesInLoadOrderAndIsReproducible() throws IOException {
        Initramfs initramfs = new Initramfs(host, Initramfs.hostBusybox());
        Path first = tmp.resolve("first.img");
        Path second = tmp.resolve("second.img");

        initramfs.build(modules, List.of("virtio_blk", "ext4"), tmp.resolve("work"), first);
        initramfs.build(modules, List.of("virtio_blk", "ext4"), tmp.resolve("work"), second);

        assertThat(Sha256.of(first)).isEqualTo(Sha256.of(second));
        Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
        Path cpio = tmp.resolve("first.cpio");
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(first))) {
            Files.copy(in, cpio);
        }
        host.run(Command.of("cpio", "--quiet", "-id", "-F", cpio.toString()).withWorkDir(unpacked));
        assertThat(unpacked.resolve("init")).isExecutable().content().contains("switch_root");
        assertThat(unpacked.resolve("bin/busybox")).isExecutable();
        assertThat(unpacked.resolve("etc/banger-modules")).hasContent("virtio.ko\nvirtio_blk.ko");
        assertThat(tmp.resolve("work")).doesNotExist();
    }
}
