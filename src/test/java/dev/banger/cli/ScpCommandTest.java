package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.cli.ScpCommand.Operand;
import dev.banger.model.SshTarget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScpCommandTest {
    private static final SshTarget TARGET = new SshTarget("dev1", "172.16.0.9", 2222, "root", "secret", List.of("x"));

    @Test
    void aColonBeforeAnySlashNamesAVmAndEverythingElseIsLocal() {
        assertThat(ScpCommand.parse("dev1:/root/a b")).isEqualTo(new Operand("dev1", "/root/a b"));
        assertThat(ScpCommand.parse("dev1:")).isEqualTo(new Operand("dev1", ""));
        assertThat(ScpCommand.parse("dev1:x:y")).isEqualTo(new Operand("dev1", "x:y"));
        assertThat(ScpCommand.parse("./a:b")).isEqualTo(new Operand(null, "./a:b"));
        assertThat(ScpCommand.parse("/tmp/a:b")).isEqualTo(new Operand(null, "/tmp/a:b"));
        assertThat(ScpCommand.parse("notes.txt")).isEqualTo(new Operand(null, "notes.txt"));
        assertThat(ScpCommand.parse("Bad Name:x")).isEqualTo(new Operand("Bad Name", "x"));
    }

    @Test
    void theVmIsTheOneSideThatNamesOne() {
        assertThat(ScpCommand.vm(ScpCommand.parse("a.txt"), ScpCommand.parse("dev1:/tmp/"))).isEqualTo("dev1");
        assertThat(ScpCommand.vm(ScpCommand.parse("dev2:/etc/hosts"), ScpCommand.parse("."))).isEqualTo("dev2");
    }

    @Test
    void bothOrNeitherSideNamingAVmIsRefusedWithWhatToTypeInstead() {
        assertThatThrownBy(() -> ScpCommand.vm(ScpCommand.parse("dev1:a"), ScpCommand.parse("dev2:b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both dev1:a and dev2:b name a VM").hasMessageContaining("./dev1:a");
        assertThatThrownBy(() -> ScpCommand.vm(ScpCommand.parse("a"), ScpCommand.parse("./b:c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither a nor ./b:c names a VM").hasMessageContaining("NAME:path");
    }

    @Test
    void copyingInUsesThePinnedKeyThePortAndEndsOptionsBeforeTheOperands() {
        List<String> argv = ScpCommand.argv(TARGET, Path.of("/run/user/1000/banger/dev1.key"),
                Path.of("/run/user/1000/banger/dev1.known_hosts"), false,
                ScpCommand.parse("-my file"), ScpCommand.parse("dev1:/root/a dir/"));

        assertThat(argv).containsExactly("scp", "-i", "/run/user/1000/banger/dev1.key",
                "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=/run/user/1000/banger/dev1.known_hosts",
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "LogLevel=ERROR",
                "-P", "2222",
                "--", "-my file", "root@172.16.0.9:/root/a dir/");
    }

    @Test
    void copyingOutRecursivelyPutsTheVmSideFirst() {
        List<String> argv = ScpCommand.argv(TARGET, Path.of("k"), Path.of("h"), true,
                ScpCommand.parse("dev1:-odd dir"), ScpCommand.parse("./out:put"));

        assertThat(argv.subList(argv.indexOf("-P"), argv.size()))
                .containsExactly("-P", "2222", "-r", "--", "root@172.16.0.9:-odd dir", "./out:put");
    }
}
