package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestTreeTest {
    @TempDir
    Path tmp;

    @Test
    void cleanupDeletesMatchesAndTruncatesMachineIdWithoutLeavingTheTree() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Files.createDirectories(root.resolve("var/cache/apt/archives/partial"));
        Files.writeString(root.resolve("var/cache/apt/archives/a.deb"), "x");
        Files.writeString(root.resolve("var/cache/apt/archives/lock"), "keep");
        Files.createDirectories(root.resolve("etc/ssh"));
        Files.writeString(root.resolve("etc/ssh/ssh_host_ed25519_key"), "secret");
        Files.writeString(root.resolve("etc/ssh/sshd_config"), "keep");
        Files.writeString(root.resolve("etc/machine-id"), "0123456789abcdef\n");
        GuestTree tree = new GuestTree(root);

        assertThat(tree.clean(CleanupPath.delete("/var/cache/apt/archives/*.deb"))).containsExactly("/var/cache/apt/archives/a.deb");
        assertThat(tree.clean(CleanupPath.delete("/etc/ssh/ssh_host_*"))).containsExactly("/etc/ssh/ssh_host_ed25519_key");
        tree.clean(CleanupPath.truncate("/etc/machine-id"));
        assertThat(tree.clean(CleanupPath.delete("/no/such/dir/*"))).isEmpty();

        assertThat(root.resolve("var/cache/apt/archives/lock")).hasContent("keep");
        assertThat(root.resolve("etc/ssh/sshd_config")).exists();
        assertThat(root.resolve("etc/machine-id")).isEmptyFile();
    }

    @Test
    void aGuestSymlinkIsNeverFollowedOutOfTheTree() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Path outside = Files.createDirectories(tmp.resolve("host-run"));
        Files.writeString(outside.resolve("precious"), "host file");
        Files.createDirectories(root.resolve("var"));
        Files.createSymbolicLink(root.resolve("var/run"), outside);
        GuestTree tree = new GuestTree(root);

        assertThatThrownBy(() -> tree.clean(CleanupPath.delete("/var/run/*")))
                .isInstanceOf(ImageException.class).hasMessageContaining("runs through the symlink var/run");
        assertThatThrownBy(() -> tree.write(new GuestFile("/var/run/x", 0644, "y")))
                .isInstanceOf(ImageException.class);
        assertThat(outside.resolve("precious")).hasContent("host file");
        assertThat(outside.resolve("x")).doesNotExist();
    }

    @Test
    void filesAndDirectoriesGetTheirPlannedModes() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        GuestTree tree = new GuestTree(root);

        tree.mkdir(new GuestDirectory("/root/.ssh", 0700));
        tree.write(new GuestFile("/root/.ssh/authorized_keys", 0600, "ssh-ed25519 AAAA k\n"));

        assertThat(Files.getPosixFilePermissions(root.resolve("root/.ssh"))).isEqualTo(GuestTree.permissions(0700));
        assertThat(Files.getPosixFilePermissions(root.resolve("root/.ssh/authorized_keys"))).isEqualTo(GuestTree.permissions(0600));
        assertThat(GuestTree.permissions(0755).size()).isEqualTo(7);
    }
}
