package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which modules directory of a root tree is staged, on fake Void, merged-usr and classic trees. */
class VoidBootStackLayoutTest {
    @TempDir
    Path tree;

    @Test
    void voidKeepsModulesUnderUsrAndItsLibLinkIsNotFollowed() throws IOException {
        Files.createDirectories(tree.resolve("usr/lib/modules/6.6.52_1"));
        Files.createSymbolicLink(tree.resolve("lib"), Path.of("usr/lib"));

        assertThat(KernelFiles.modulesDir(tree, "6.6.52_1")).isEqualTo("usr/lib/modules/6.6.52_1");
    }

    @Test
    void aClassicLayoutKeepsModulesUnderLib() throws IOException {
        Files.createDirectories(tree.resolve("lib/modules/6.1.0-28-cloud-amd64"));

        assertThat(KernelFiles.modulesDir(tree, "6.1.0-28-cloud-amd64")).isEqualTo("lib/modules/6.1.0-28-cloud-amd64");
    }

    @Test
    void anAbsoluteLinkThatWouldLeadOutOfTheTreeIsNotTaken(@TempDir Path host) throws IOException {
        Files.createDirectories(host.resolve("usr/lib/modules/6.6.52_1"));
        Path link = Files.createSymbolicLink(tree.resolve("lib"), host.resolve("usr/lib"));
        try {
            assertThat(tree.resolve("lib/modules/6.6.52_1")).as("the link leads to modules outside").isDirectory();
            assertThatThrownBy(() -> KernelFiles.modulesDir(tree, "6.6.52_1"))
                    .isInstanceOf(ImageException.class).hasMessageContaining("/usr/lib/modules/6.6.52_1 is a directory");
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void theOneVoidKernelInBootGivesTheVersion() throws IOException {
        Files.createDirectories(tree.resolve("boot"));
        Files.writeString(tree.resolve("boot/vmlinuz-6.6.52_1"), "k");
        Files.writeString(tree.resolve("boot/initramfs-6.6.52_1.img"), "i");
        Files.writeString(tree.resolve("boot/config-6.6.52_1"), "c");

        assertThat(KernelFiles.version(tree.resolve("boot"))).isEqualTo("6.6.52_1");
    }
}
