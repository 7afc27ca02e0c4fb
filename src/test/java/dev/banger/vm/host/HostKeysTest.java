package dev.banger.vm.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.agent.GuestIdentity.HostKeyPair;
import dev.banger.host.Command;
import dev.banger.host.HostCommands;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon-made SSH host keys: one ed25519 pair per VM directory, private half 0600, made once. */
class HostKeysTest {
    private static final HostCommands HOST = new ProcessHostCommands();
    @TempDir
    Path dir;

    private final HostKeys keys = new HostKeys();

    @Test
    void aVmGetsOnePairMadeOnceWhosePrivateHalfOnlyRootReads() throws IOException {
        HostKeyPair made = keys.of(dir);
        HostKeyPair again = keys.of(dir);

        assertThat(again).isEqualTo(made);
        assertThat(made.privateKey()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(made.publicKey()).matches("ssh-ed25519 [A-Za-z0-9+/=]+");
        assertThat(Files.getPosixFilePermissions(dir.resolve(HostKeys.FILE))).hasToString("[OWNER_READ, OWNER_WRITE]");
        assertThat(Files.readString(dir.resolve(HostKeys.FILE + ".pub"))).startsWith(made.publicKey());
    }

    @Test
    void opensshReadsTheKeyItsPublicHalfIsTheOneRecordedAndItSignsAsThatKey() throws IOException {
        HostKeyPair made = keys.of(dir);
        Path key = dir.resolve(HostKeys.FILE);

        assertThat(HostKeys.publicLine(HOST.run(Command.of("ssh-keygen", "-y", "-f", key.toString())).stdout()))
                .isEqualTo(made.publicKey());
        Path message = Files.writeString(dir.resolve("message"), "banger");
        HOST.run(Command.of("ssh-keygen", "-Y", "sign", "-f", key.toString(), "-n", "file", message.toString()));
        Files.writeString(dir.resolve("allowed"), "guest " + made.publicKey() + "\n");
        HOST.run(Command.of("ssh-keygen", "-Y", "verify", "-f", dir.resolve("allowed").toString(), "-I", "guest", "-n", "file",
                "-s", message + ".sig").withStdin(Files.readAllBytes(message)));
    }

    @Test
    void twoVmsNeverShareAKey(@TempDir Path other) {
        assertThat(keys.of(dir).publicKey()).isNotEqualTo(keys.of(other).publicKey());
    }

    @Test
    void thePublicLineLosesItsComment() {
        assertThat(HostKeys.publicLine("ssh-ed25519 AAAAC3Nza root@host\n")).isEqualTo("ssh-ed25519 AAAAC3Nza");
    }
}
