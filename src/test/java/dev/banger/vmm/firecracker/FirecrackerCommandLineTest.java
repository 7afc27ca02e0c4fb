package dev.banger.vmm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirecrackerCommandLineTest {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path FIRECRACKER = Path.of("/opt/banger/bin/firecracker");
    private static final FirecrackerLayout LAYOUT = new FirecrackerLayout(Path.of("/var/lib/banger/vms/dev1"));

    @Test
    void directLaunchRunsFirecrackerUnderSetsidWithTheVmsApiSocket() {
        assertThat(FirecrackerCommandLine.direct(SETSID, FIRECRACKER, "dev1", LAYOUT)).containsExactly(
                "/usr/bin/setsid", "/opt/banger/bin/firecracker",
                "--api-sock", "/var/lib/banger/vms/dev1/firecracker.sock", "--id", "dev1");
    }

    @Test
    void jailedLaunchPassesFirecrackerArgumentsAfterTheSeparatorAndFindsTheSocketInTheChroot() {
        FirecrackerCommandLine.JailedLaunch launch = FirecrackerCommandLine.jailed(
                SETSID, Path.of("/opt/banger/bin/jailer"), FIRECRACKER, "dev1", LAYOUT);

        assertThat(launch.argv()).containsExactly(
                "/usr/bin/setsid", "/opt/banger/bin/jailer",
                "--id", "dev1",
                "--exec-file", "/opt/banger/bin/firecracker",
                "--uid", "0", "--gid", "0",
                "--chroot-base-dir", "/var/lib/banger/vms/dev1/jail",
                "--", "--api-sock", "/firecracker.sock");
        assertThat(launch.chrootRoot()).isEqualTo(Path.of("/var/lib/banger/vms/dev1/jail/firecracker/dev1/root"));
        assertThat(launch.apiSocketOnHost())
                .isEqualTo(Path.of("/var/lib/banger/vms/dev1/jail/firecracker/dev1/root/firecracker.sock"));
    }

    @Test
    void nameFirecrackerWouldRefuseAsInstanceIdIsRejected() {
        assertThatThrownBy(() -> FirecrackerCommandLine.direct(SETSID, FIRECRACKER, "dev_1", LAYOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dev_1' is not a Firecracker instance id");
    }

    @Test
    void commandLineOfOurFirecrackerIsRecognised() {
        List<String> cmdline = List.of("/opt/banger/bin/firecracker",
                "--api-sock", "/var/lib/banger/vms/dev1/firecracker.sock", "--id", "dev1");

        assertThat(FirecrackerCommandLine.isFirecrackerFor(cmdline, LAYOUT)).isTrue();
    }

    @Test
    void firecrackerOfAnotherVmIsNotOurs() {
        List<String> cmdline = List.of("/opt/banger/bin/firecracker",
                "--api-sock", "/var/lib/banger/vms/dev2/firecracker.sock", "--id", "dev2");

        assertThat(FirecrackerCommandLine.isFirecrackerFor(cmdline, LAYOUT)).isFalse();
    }

    @Test
    void recycledPidRunningAnotherProgramThatNamesTheSocketIsNotOurs() {
        List<String> cmdline = List.of("/usr/bin/socat", "--api-sock", "/var/lib/banger/vms/dev1/firecracker.sock");

        assertThat(FirecrackerCommandLine.isFirecrackerFor(cmdline, LAYOUT)).isFalse();
    }

    @Test
    void goneOrZombieProcessWithEmptyCommandLineIsNotOurs() {
        assertThat(FirecrackerCommandLine.isFirecrackerFor(List.of(), LAYOUT)).isFalse();
    }
}
