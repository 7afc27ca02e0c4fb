package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the host key script with dash and the host's ssh-keygen, a temp file as the config drive and a temp dir as /etc/ssh. */
class HostKeysScriptTest {
    private static final ProcessHostCommands HOST = new ProcessHostCommands();

    @TempDir
    Path tmp;
    private Path script;
    private Path ssh;
    private Path drive;

    @BeforeEach
    void guest() throws IOException {
        script = Files.writeString(tmp.resolve("banger-host-keys"), HostKeysScript.text());
        ssh = Files.createDirectories(tmp.resolve("etc-ssh"));
        drive = tmp.resolve("config.img");
    }

    /** A fresh ed25519 key pair made by ssh-keygen: {private text, public line}. */
    private String[] newKey(String name) throws IOException {
        Path key = tmp.resolve(name);
        HOST.run(Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()));
        return new String[] {Files.readString(key), Files.readString(tmp.resolve(name + ".pub"))};
    }

    /** A drive as the daemon writes it: the words line, the key line, zeros to 4 KiB. */
    private void writeDrive(String secondLine) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("banger.hostname=dev1 banger.ip=172.30.0.2/24 banger.mac=02:fc:00:00:00:07\n".getBytes(StandardCharsets.UTF_8));
        if (secondLine != null) {
            out.writeBytes((secondLine + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(new byte[4096 - out.size()]);
        Files.write(drive, out.toByteArray());
    }

    private static String keyLine(String privateKey) {
        return HostKeysScript.DRIVE_WORD + "=" + Base64.getEncoder().encodeToString(privateKey.getBytes(StandardCharsets.UTF_8));
    }

    private CommandResult run(String driveEnv) {
        return HOST.exec(Command.of("dash", script.toString())
                .withEnv(Map.of("BANGER_CONFIG_DRIVE", driveEnv, "BANGER_SSH_DIR", ssh.toString()))
                .withTimeout(Duration.ofSeconds(20)));
    }

    /** The key's type and blob, without the comment. */
    private static String publicKey(String line) {
        String[] fields = line.strip().split(" ");
        return fields[0] + " " + fields[1];
    }

    @Test
    void theDrivesKeyBecomesTheOnlyHostKeyPrivateToRoot() throws IOException {
        String[] key = newKey("vm-key");
        writeDrive(keyLine(key[0]));
        for (String stale : new String[] {"ssh_host_rsa_key", "ssh_host_rsa_key.pub", "ssh_host_ecdsa_key", "ssh_host_ecdsa_key.pub"}) {
            Files.writeString(ssh.resolve(stale), "stale\n");
        }

        CommandResult result = run(drive.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Path installed = ssh.resolve("ssh_host_ed25519_key");
        assertThat(Files.readString(installed)).isEqualTo(key[0]);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installed))).isEqualTo("rw-------");
        assertThat(publicKey(Files.readString(ssh.resolve("ssh_host_ed25519_key.pub")))).isEqualTo(publicKey(key[1]));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ssh.resolve("ssh_host_ed25519_key.pub"))))
                .isEqualTo("rw-r--r--");
        try (var files = Files.list(ssh)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ssh_host_ed25519_key", "ssh_host_ed25519_key.pub");
        }
    }

    @Test
    void atEveryBootTheDrivesKeyWinsOverTheOneTheGuestHas() throws IOException {
        String[] first = newKey("first");
        String[] second = newKey("second");
        writeDrive(keyLine(first[0]));
        assertThat(run(drive.toString()).exitCode()).isZero();

        writeDrive(keyLine(second[0]));
        CommandResult result = run(drive.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readString(ssh.resolve("ssh_host_ed25519_key"))).isEqualTo(second[0]);
        assertThat(publicKey(Files.readString(ssh.resolve("ssh_host_ed25519_key.pub")))).isEqualTo(publicKey(second[1]));
    }

    @Test
    void withoutAKeyOnTheDriveTheGuestMakesAnEd25519KeyOnceAndKeepsIt() throws IOException {
        writeDrive(null);

        CommandResult first = run(drive.toString());
        String made = Files.readString(ssh.resolve("ssh_host_ed25519_key"));
        CommandResult second = run("");

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(made).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(Files.readString(ssh.resolve("ssh_host_ed25519_key"))).isEqualTo(made);
        assertThat(Files.readString(ssh.resolve("ssh_host_ed25519_key.pub"))).startsWith("ssh-ed25519 ");
        assertThat(ssh.resolve("ssh_host_rsa_key")).doesNotExist();
    }

    @Test
    void aKeyLineThatIsNotAKeyFailsAndLeavesTheGuestsKeyAlone() throws IOException {
        String[] key = newKey("kept");
        writeDrive(keyLine(key[0]));
        assertThat(run(drive.toString()).exitCode()).isZero();
        String[] rsa = {"ssh-keygen", "-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", tmp.resolve("rsa").toString()};

        writeDrive(keyLine("-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----\n"));
        CommandResult garbage = run(drive.toString());
        HOST.run(Command.of(rsa));
        writeDrive(keyLine(Files.readString(tmp.resolve("rsa"))));
        CommandResult wrongType = run(drive.toString());

        assertThat(garbage.exitCode()).isEqualTo(1);
        assertThat(garbage.stderr()).contains("banger-host-keys: the config drive's banger.host_key_ed25519 is not an OpenSSH private key");
        assertThat(wrongType.exitCode()).isEqualTo(1);
        assertThat(wrongType.stderr()).contains("is a ssh-rsa key, not ed25519");
        assertThat(Files.readString(ssh.resolve("ssh_host_ed25519_key"))).isEqualTo(key[0]);
        try (var files = Files.list(ssh)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ssh_host_ed25519_key", "ssh_host_ed25519_key.pub");
        }
    }
}
