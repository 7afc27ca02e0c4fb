package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.Command;
import dev.banger.model.SshTarget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code banger vm exec} and {@code vm cp} run in-process, as picocli runs them, against a fake bangerd on a real socket. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VmExecAndCpCommandsTest {
    /** What the fake daemon answers to vm.ssh, less the key and host keys that only go into files. */
    private static final SshTarget DEV1 = new SshTarget("dev1", "172.16.0.2", 22, "root", "k", List.of());

    @TempDir
    Path dir;

    private FakeVmDaemon daemon;
    private final List<Command> attached = new ArrayList<>();
    private int attachedExit;

    record Run(int exitCode, String stdout, String stderr) {}

    @BeforeEach
    void startDaemon() throws Exception {
        daemon = new FakeVmDaemon(dir);
    }

    @AfterEach
    void stopDaemon() {
        daemon.close();
    }

    private Run banger(String... args) {
        CommandLine cli = BangerMain.commandLine();
        VmCommand vm = cli.getSubcommands().get("vm").getCommand();
        vm.connector = daemon.connector();
        vm.environment = Map.of("XDG_RUNTIME_DIR", dir.resolve("xdg").toString());
        vm.attached = command -> {
            attached.add(command);
            return attachedExit;
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path keys() {
        return dir.resolve("xdg/banger");
    }

    @Test
    void execRunsSshWithoutATerminalAndExitsWithTheGuestCommandsCode() throws Exception {
        attachedExit = 7;

        Run run = banger("vm", "exec", "dev1", "--", "sh", "-c", "exit 7");

        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(attached).singleElement().extracting(Command::argv).isEqualTo(ExecCommand.argv(DEV1,
                keys().resolve("dev1.key"), keys().resolve("dev1.known_hosts"), false, List.of("sh", "-c", "exit 7")));
        assertThat(attached.getFirst().argv()).contains("-T").endsWith("--", "root@172.16.0.2", "'sh'", "'-c'", "'exit 7'");
        assertThat(Files.readString(keys().resolve("dev1.key"))).contains("key-for-dev1");
        assertThat(run.stderr()).isEmpty();
        assertThat(daemon.methodsCalled()).containsExactly("vm.ssh");
        assertThat(daemon.onlyParams("vm.ssh", FakeVmDaemon.NameParams.class).name()).isEqualTo("dev1");
    }

    @Test
    void execPassesSshsOwnFailureThrough() {
        attachedExit = 255;

        assertThat(banger("vm", "exec", "dev1", "--", "true").exitCode()).isEqualTo(255);
    }

    @Test
    void execWithTtyAsksSshForATerminalAndLeavesOptionLikeWordsAfterTheDashesToTheCommand() {
        Run run = banger("vm", "exec", "-t", "dev1", "--", "ls", "-t", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(attached.getFirst().argv()).contains("-tt").doesNotContain("-T")
                .endsWith("--", "root@172.16.0.2", "'ls'", "'-t'", "'--help'");
    }

    @Test
    void execWithoutACommandOrWithABadNameIsAUsageErrorThatCallsNothing() {
        Run noCommand = banger("vm", "exec", "dev1");
        Run badName = banger("vm", "exec", "Dev_1", "--", "true");

        assertThat(noCommand.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noCommand.stderr()).contains("Missing required parameter").contains("CMD");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badName.stderr()).contains("invalid VM name 'Dev_1'");
        assertThat(daemon.methodsCalled()).isEmpty();
        assertThat(attached).isEmpty();
    }

    @Test
    void cpIntoAVmRunsScpWithThePinnedKeyAndExitsWithItsCode() {
        attachedExit = 1;

        Run run = banger("vm", "cp", "notes.txt", "dev1:/root/my notes.txt");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(attached).singleElement().extracting(Command::argv).isEqualTo(ScpCommand.argv(DEV1,
                keys().resolve("dev1.key"), keys().resolve("dev1.known_hosts"), false,
                new ScpCommand.Operand(null, "notes.txt"), new ScpCommand.Operand("dev1", "/root/my notes.txt")));
        assertThat(attached.getFirst().argv()).startsWith("scp").doesNotContain("-r")
                .endsWith("--", "notes.txt", "root@172.16.0.2:/root/my notes.txt");
        assertThat(daemon.onlyParams("vm.ssh", FakeVmDaemon.NameParams.class).name()).isEqualTo("dev1");
    }

    @Test
    void cpOutOfAVmRecursivelyTakesAPathAfterTheDashesThatStartsWithADashAsAPath() {
        Run run = banger("vm", "cp", "-r", "--", "dev1:/etc", "-etc copy");

        assertThat(run.exitCode()).isZero();
        assertThat(attached.getFirst().argv()).contains("-r")
                .endsWith("--", "root@172.16.0.2:/etc", "-etc copy");
    }

    @Test
    void cpNamingBothOrNoVmOrABadNameIsAUsageErrorThatCallsNothing() {
        Run both = banger("vm", "cp", "dev1:a", "dev2:b");
        Run neither = banger("vm", "cp", "a", "./b:c");
        Run badName = banger("vm", "cp", "a", "Dev_1:/tmp");

        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.stderr()).contains("both dev1:a and dev2:b name a VM");
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(neither.stderr()).contains("neither a nor ./b:c names a VM");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badName.stderr()).contains("invalid VM name 'Dev_1'");
        assertThat(daemon.methodsCalled()).isEmpty();
        assertThat(attached).isEmpty();
    }
}
