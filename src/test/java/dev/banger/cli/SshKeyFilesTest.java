package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeyFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void directoryIsUnderXdgRuntimeDirWhenSetElseUnderTheHomeCache() {
        assertThat(SshKeyFiles.directory(Map.of("XDG_RUNTIME_DIR", "/run/user/1000", "HOME", "/home/u")))
                .isEqualTo(Path.of("/run/user/1000/banger"));
        assertThat(SshKeyFiles.directory(Map.of("HOME", "/home/u"))).isEqualTo(Path.of("/home/u/.cache/banger/ssh"));
        assertThat(SshKeyFiles.directory(Map.of("XDG_RUNTIME_DIR", "", "HOME", "/home/u")))
                .isEqualTo(Path.of("/home/u/.cache/banger/ssh"));
    }

    @Test
    void newDirectoryIs0700AndFilesAre0600() throws Exception {
        Path keys = dir.resolve("home/.cache/banger/ssh");

        SshKeyFiles.Written written = SshKeyFiles.write(keys, new SshTarget("dev1", "h", 22, "root", "KEY", List.of("a", "b")));

        assertThat(mode(keys)).isEqualTo("rwx------");
        assertThat(mode(written.key())).isEqualTo("rw-------");
        assertThat(mode(written.knownHosts())).isEqualTo("rw-------");
        assertThat(Files.readString(written.key())).isEqualTo("KEY\n");
        assertThat(Files.readString(written.knownHosts())).isEqualTo("a\nb\n");
        try (var listing = Files.list(keys)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("dev1.key", "dev1.known_hosts");
        }
    }

    @Test
    void existingLooseDirectoryIsTightenedAndOldKeysAreReplaced() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("banger"));
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(keys.resolve("dev1.key"), "OLD\n");
        Files.setPosixFilePermissions(keys.resolve("dev1.key"), PosixFilePermissions.fromString("rw-r--r--"));

        SshKeyFiles.Written written = SshKeyFiles.write(keys, new SshTarget("dev1", "h", 22, "root", "NEW\n", List.of()));

        assertThat(mode(keys)).isEqualTo("rwx------");
        assertThat(mode(written.key())).isEqualTo("rw-------");
        assertThat(Files.readString(written.key())).isEqualTo("NEW\n");
    }
}
