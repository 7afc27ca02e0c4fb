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
    void jailedLaunchPassesFirecrackerArgumentsAfterTheSeparatorWithTheChrootRelativeSocket() {
        JailLayout jail = new JailLayout(LAYOUT.vmDir(), "firecracker", "dev1");

        assertThat(FirecrackerCommandLine.jailed(SETSID, Path.of("/opt/banger/bin/jailer"), FIRECRACKER, jail)).containsExactly(
                "/usr/bin/setsid", "/opt/banger/bin/jailer",
                "--id", "dev1",
                "--exec-file", "/opt/banger/bin/firecracker",
                "--uid", "0", "--gid", "0",
                "--chroot-base-dir", "/var/lib/banger/vms/dev1/jail",
                "--", "--api-sock", "/firecracker.sock");
        assertThat(jail.root()).isEqualTo(Path.of("/var/lib/banger/vms/dev1/jail/firecracker/dev1/root"));
        assertThat(jail.apiSocket()).isEqualTo(Path.of("/var/lib/banger/vms/dev1/jail/firecracker/dev1/root/firecracker.sock"));
    }

    @Test
    void jailedLaunchRefusesABinaryTheJailIsNotNamedAfter() {
        JailLayout jail = new JailLayout(LAYOUT.vmDir(), "firecracker-v1.16.1-x86_64", "dev1");

        assertThatThrownBy(() -> FirecrackerCommandLine.jailed(SETSID, Path.of("/opt/jailer"), FIRECRACKER, jail))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not named after /opt/banger/bin/firecracker");
    }

    @Test
    void commandLineOfAJailedFirecrackerNamesItsInstance() {
        List<String> cmdline = List.of("/firecracker", "--id", "dev1", "--start-time-us", "123",
                "--start-time-cpu-us", "45", "--parent-cpu-time-us", "6", "--api-sock", "/firecracker.sock");

        assertThat(FirecrackerCommandLine.jailedInstanceId(cmdline)).contains("dev1");
    }

    @Test
    void jailedFirecrackerGivenItsIdWithAnEqualsSignIsRecognisedToo() {
        List<String> cmdline = List.of("/firecracker-v1.16.1", "--id=dev1", "--api-sock", "/firecracker.sock");

        assertThat(FirecrackerCommandLine.jailedInstanceId(cmdline)).contains("dev1");
    }

    @Test
    void jailedFirecrackerRunByAnInterpreterIsRecognisedWhateverItsProgramIsCalled() {
        List<String> cmdline = List.of("/bin/busybox", "sh", "/fc", "--id", "dev1", "--api-sock", "/firecracker.sock");

        assertThat(FirecrackerCommandLine.jailedInstanceId(cmdline)).contains("dev1");
    }

    @Test
    void jailerThatHasNotYetExecedFirecrackerIsNotAJailedFirecracker() {
        List<String> cmdline = List.of("/opt/jailer", "--id", "dev1", "--exec-file", "/opt/firecracker",
                "--uid", "0", "--gid", "0", "--chroot-base-dir", "/var/lib/banger/vms/dev1/jail",
                "--", "--api-sock", "/firecracker.sock");

        assertThat(FirecrackerCommandLine.jailedInstanceId(cmdline)).isEmpty();
    }

    @Test
    void jailedLookalikeWithAnIdThatCouldEscapeTheVmDirectoryIsNotRecognised() {
        List<String> cmdline = List.of("/firecracker", "--id", "../../etc", "--api-sock", "/firecracker.sock");

        assertThat(FirecrackerCommandLine.jailedInstanceId(cmdline)).isEmpty();
    }

    @Test
    void directFirecrackerIsNotAJailedOneAndAJailedOneIsNotDirect() {
        List<String> direct = List.of("/opt/banger/bin/firecracker",
                "--api-sock", "/var/lib/banger/vms/dev1/firecracker.sock", "--id", "dev1");
        List<String> jailed = List.of("/firecracker", "--id", "dev1", "--api-sock", "/firecracker.sock");

        assertThat(FirecrackerCommandLine.jailedInstanceId(direct)).isEmpty();
        assertThat(FirecrackerCommandLine.servesApiSocket(jailed, LAYOUT)).isFalse();
    }

    @Test
    void jailedCommandLineWithoutAnInstanceIdIsNotAJailedFirecracker() {
        List<String> cmdline = List.of("/firecracker", "--api-sock", "/firecracker.sock");

        assertThat(FirecrackerCommandLine.jailedInstanceId(cmdline)).isEmpty();
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

        assertThat(FirecrackerCommandLine.servesApiSocket(cmdline, LAYOUT)).isTrue();
    }

    @Test
    void firecrackerOfAnotherVmIsNotOurs() {
        List<String> cmdline = List.of("/opt/banger/bin/firecracker",
                "--api-sock", "/var/lib/banger/vms/dev2/firecracker.sock", "--id", "dev2");

        assertThat(FirecrackerCommandLine.servesApiSocket(cmdline, LAYOUT)).isFalse();
    }

    @Test
    void firecrackerInstalledUnderAnyNameIsRecognisedByItsApiSocket() {
        List<String> cmdline = List.of("/usr/local/bin/fc",
                "--api-sock", "/var/lib/banger/vms/dev1/firecracker.sock", "--id", "dev1");

        assertThat(FirecrackerCommandLine.servesApiSocket(cmdline, LAYOUT)).isTrue();
    }

    @Test
    void programThatMentionsTheSocketOtherwiseThanAsItsApiSocketIsNotOurs() {
        List<String> positional = List.of("/usr/bin/socat", "/var/lib/banger/vms/dev1/firecracker.sock", "--api-sock");
        List<String> otherFlag = List.of("/usr/bin/tail", "--follow", "/var/lib/banger/vms/dev1/firecracker.sock");

        assertThat(FirecrackerCommandLine.servesApiSocket(positional, LAYOUT)).isFalse();
        assertThat(FirecrackerCommandLine.servesApiSocket(otherFlag, LAYOUT)).isFalse();
    }

    @Test
    void goneOrZombieProcessWithEmptyCommandLineIsNotOurs() {
        assertThat(FirecrackerCommandLine.servesApiSocket(List.of(), LAYOUT)).isFalse();
    }
}
