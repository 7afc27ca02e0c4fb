package dev.banger.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.config.QemuConfig;
import dev.banger.host.CommandResult;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.ErrorKind;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuVmmTest {
    private static final long OWN_PID = ProcessHandle.current().pid();

    @TempDir
    Path vmDir;

    private final RecordingHostCommands host = new RecordingHostCommands();
    private final QemuVmm vmm = new QemuVmm(host, QemuConfig.DEFAULTS, QemuAccel.TCG, OptionalLong.of(2_000_000));

    private MachineSpec spec(Path dir) {
        return new MachineSpec("dev1", dir, 1, 256, Path.of("/b/vmlinux"), null, "console=ttyS0", List.of(), null, 3, 10000);
    }

    private void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void qemuIsNamedQemuOpensQcow2AndBootsTheMicrovmLine() {
        assertThat(vmm.name()).isEqualTo("qemu");
        assertThat(vmm.opensQcow2()).isTrue();
        assertThat(vmm.kernelFlavour()).isEqualTo(Vmm.KernelFlavour.QEMU_MICROVM);
        assertThat(vmm.adoptsPausedMachines()).isTrue();
    }

    @Test
    void aConfigurationQemuRefusesFailsNamingArgvExitCodeAndStderr() {
        host.answer(List.of("qemu-system-x86_64"), 1, "", "qemu: could not open kernel file '/b/vmlinux': No such file or directory");

        assertThatThrownBy(() -> vmm.start(spec(vmDir)))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("QEMU could not start VM dev1")
                .hasMessageContaining("exit 1")
                .hasMessageContaining("-kernel /b/vmlinux")
                .hasMessageContaining("could not open kernel file '/b/vmlinux'");
        assertThat(host.recorded()).hasSize(1);
    }

    @Test
    void qemuThatLeavesNoPidFileIsAnError() {
        assertThatThrownBy(() -> vmm.start(spec(vmDir)))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("left no usable pid file at " + vmDir.resolve("qemu.pid"));
    }

    @Test
    void qemuGoneRightAfterDaemonisingReportsStderrAndTheConsoleTailWithoutKillingAReusedPid() {
        // The pid file names this JVM: alive, but not QEMU for this VM, exactly what a reused pid looks like.
        host.answer(List.of("qemu-system-x86_64"), command -> {
            write(vmDir.resolve("qemu.pid"), OWN_PID + "\n");
            write(vmDir.resolve("console.log"), "[    0.1] Linux version 6.1\n[    0.9] Kernel panic - not syncing: boom\n");
            return new CommandResult(command, 0, "", "qemu-system-x86_64: warning: host doesn't support requested feature\n",
                    Duration.ZERO);
        });

        assertThatThrownBy(() -> vmm.start(spec(vmDir)))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("(pid " + OWN_PID + ") exited right after starting")
                .hasMessageContaining("warning: host doesn't support requested feature")
                .hasMessageContaining("Kernel panic - not syncing: boom");
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void aMissingVmDirectoryIsAPreconditionFailureBeforeQemuRuns() {
        Path missing = vmDir.resolve("absent");

        assertThatThrownBy(() -> vmm.start(spec(missing)))
                .isInstanceOf(QemuException.class)
                .satisfies(e -> assertThat(((QemuException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED))
                .hasMessageContaining(missing + " does not exist");
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void aPidThatRunsSomethingElseIsNotAliveAndStoppingItTouchesNothing() {
        VmmInstance instance = new VmmInstance("qemu", OWN_PID, vmDir, vmDir.resolve("agent.sock"),
                VmmInstance.AgentTransport.UNIX_STREAM);

        assertThat(vmm.isAlive(instance)).isFalse();
        assertThat(vmm.stopReporting(instance, Duration.ofSeconds(1))).isEqualTo(QemuVmm.StopOutcome.ALREADY_GONE);
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void cmdlineMatchesOnlyThisBinaryRunningThisVmDirectory() {
        Path dir = Path.of("/var/lib/banger/vms/dev1");

        assertThat(QemuVmm.cmdlineMatches(cmdline("/usr/bin/qemu-system-x86_64", "-M", "microvm", "-daemonize",
                "-pidfile", "/var/lib/banger/vms/dev1/qemu.pid"), "qemu-system-x86_64", dir)).isTrue();
        assertThat(QemuVmm.cmdlineMatches(cmdline("/usr/bin/qemu-system-x86_64", "-pidfile",
                "/var/lib/banger/vms/dev10/qemu.pid"), "qemu-system-x86_64", dir)).isFalse();
        assertThat(QemuVmm.cmdlineMatches(cmdline("/usr/bin/vim", "/var/lib/banger/vms/dev1/qemu.pid"),
                "qemu-system-x86_64", dir)).isFalse();
        assertThat(QemuVmm.cmdlineMatches(new byte[0], "qemu-system-x86_64", dir)).isFalse();
    }

    @Test
    void theBackendIsNamedQemuAndAgentsAreReachedOverAPlainUnixSocket() {
        assertThat(vmm.name()).isEqualTo("qemu");
        assertThat(new QemuFiles(vmDir).agentSocket()).isEqualTo(vmDir.resolve("agent.sock"));
    }

    private static byte[] cmdline(String... args) {
        return (String.join("\0", args) + "\0").getBytes(StandardCharsets.UTF_8);
    }
}
