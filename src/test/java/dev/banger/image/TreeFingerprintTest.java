package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeFingerprintTest {
    @TempDir
    Path tmp;

    private Path tree(String name, boolean reverse) throws IOException {
        Path root = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        Runnable[] steps = {
            () -> write(root.resolve(".bashrc"), "export PATH=/usr/bin\n"),
            () -> write(root.resolve(".ssh/authorized_keys"), "ssh-ed25519 AAAA test\n"),
            () -> write(root.resolve("projects/a/readme.md"), "hello"),
            () -> link(root.resolve("projects/latest"), "a"),
        };
        for (int i = 0; i < steps.length; i++) {
            steps[reverse ? steps.length - 1 - i : i].run();
        }
        return root;
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void link(Path link, String target) {
        try {
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theSameTreeGivesTheSameSumWhateverTheOrderItWasWritten() throws IOException {
        String first = TreeFingerprint.of(tree("one", false));
        String second = TreeFingerprint.of(tree("two", true));

        assertThat(first).matches("sha256:[0-9a-f]{64}").isEqualTo(second);
        assertThat(TreeFingerprint.of(tmp.resolve("one"))).isEqualTo(first);
    }

    @Test
    void oneChangedByteChangesTheSum() throws IOException {
        Path root = tree("t", false);
        String before = TreeFingerprint.of(root);
        Files.writeString(root.resolve("projects/a/readme.md"), "hellp");

        assertThat(TreeFingerprint.of(root)).isNotEqualTo(before);
    }

    @Test
    void aRenamedOrAddedFileChangesTheSum() throws IOException {
        Path root = tree("t", false);
        String before = TreeFingerprint.of(root);
        Files.move(root.resolve(".bashrc"), root.resolve(".bashrc2"));
        String renamed = TreeFingerprint.of(root);
        Files.move(root.resolve(".bashrc2"), root.resolve(".bashrc"));
        assertThat(TreeFingerprint.of(root)).isEqualTo(before);

        Files.createFile(root.resolve("empty"));

        assertThat(renamed).isNotEqualTo(before);
        assertThat(TreeFingerprint.of(root)).isNotEqualTo(before);
    }

    @Test
    void aModeChangeOrADifferentLinkTargetChangesTheSum() throws IOException {
        Path root = tree("t", false);
        String before = TreeFingerprint.of(root);
        Files.setPosixFilePermissions(root.resolve(".bashrc"), PosixFilePermissions.fromString("rwx------"));
        String remoded = TreeFingerprint.of(root);
        Files.delete(root.resolve("projects/latest"));
        Files.createSymbolicLink(root.resolve("projects/latest"), Path.of("b"));

        assertThat(remoded).isNotEqualTo(before);
        assertThat(TreeFingerprint.of(root)).isNotEqualTo(remoded);
    }

    @Test
    void symlinksOutOfTheTreeAreRecordedNotFollowed() throws IOException {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "one");
        Path root = tree("t", false);
        Files.createSymbolicLink(root.resolve("escape"), outside);
        String before = TreeFingerprint.of(root);

        Files.writeString(outside.resolve("secret"), "two");

        assertThat(TreeFingerprint.of(root)).isEqualTo(before);
    }

    @Test
    void aFileMovedBetweenDirectoriesChangesTheSum() throws IOException {
        Path a = Files.createDirectory(tmp.resolve("a"));
        write(a.resolve("x/y"), "z");
        Path b = Files.createDirectory(tmp.resolve("b"));
        write(b.resolve("x/y"), "z");
        Files.createDirectories(a.resolve("w"));
        Files.createDirectories(b.resolve("w"));
        String sumA = TreeFingerprint.of(a);
        assertThat(TreeFingerprint.of(b)).isEqualTo(sumA);
        Files.move(b.resolve("x/y"), b.resolve("w/y"));

        assertThat(TreeFingerprint.of(b)).isNotEqualTo(sumA);
    }

    @Test
    void aPathThatIsNotADirectoryIsRejected() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectory(tmp.resolve("dir")));

        assertThatThrownBy(() -> TreeFingerprint.of(file)).isInstanceOf(ImageException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> TreeFingerprint.of(link)).isInstanceOf(ImageException.class);
    }
}
