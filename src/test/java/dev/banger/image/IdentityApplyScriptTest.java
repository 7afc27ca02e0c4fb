package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the identity script with dash on the host: dry runs print its steps, fake tools stand in for the guest's. */
class IdentityApplyScriptTest {
    @TempDir
    Path tmp;
    private Path script;
    private Path mounts;
    private Path systemd;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void guest() throws IOException {
        script = Files.writeString(tmp.resolve("banger-identity-apply"), IdentityApplyScript.text());
        mounts = Files.writeString(tmp.resolve("mounts"), """
                /dev/vda / ext4 rw,relatime 0 0
                proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
                /dev/vdb /root ext4 rw,relatime 0 0
                """);
        systemd = Files.createDirectories(tmp.resolve("run-systemd-system"));
        env.putAll(Map.of("BANGER_IDENTITY_DRY_RUN", "1", "BANGER_MOUNTS", mounts.toString(),
                "BANGER_SYSTEMD_MARKER", systemd.toString()));
    }

    private CommandResult apply(String... args) {
        List<String> argv = new ArrayList<>(List.of("dash", script.toString()));
        argv.addAll(List.of(args));
        return new ProcessHostCommands().exec(Command.of(argv).withEnv(env).withTimeout(Duration.ofSeconds(10)));
    }

    @Test
    void aSystemdGuestGrowsRootThenReloadsSshdThroughSystemctl() {
        CommandResult result = apply("yes", "yes");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                resize2fs /dev/vdb
                systemctl reload-or-restart ssh.service
                """);
    }

    @Test
    void aRunitGuestHasSshdHungUpBySvAndNothingGrowsWhenNotAsked() throws IOException {
        Files.delete(systemd);

        CommandResult result = apply("no", "yes");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("sv hup sshd\n");
    }

    @Test
    void growingAloneLeavesSshdToTheAgentsHangUp() {
        CommandResult result = apply("yes", "no");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("resize2fs /dev/vdb\n");
    }

    @Test
    void growingWithoutAWorkDiskAtRootFailsBeforeSshdIsTouched() throws IOException {
        Files.writeString(mounts, "/dev/vda / ext4 rw 0 0\n/dev/vdb /rooted ext4 rw 0 0\n");

        CommandResult result = apply("yes", "yes");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("banger-identity: nothing is mounted at /root");
        assertThat(result.stdout()).doesNotContain("resize2fs", "systemctl");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingChanges() {
        CommandResult maybe = apply("maybe", "no");
        CommandResult reload = apply("no", "1");
        CommandResult one = apply("yes");
        CommandResult none = apply();

        assertThat(maybe.exitCode()).isEqualTo(1);
        assertThat(maybe.stderr()).contains("GROW_ROOT is 'maybe', expected yes or no");
        assertThat(reload.exitCode()).isEqualTo(1);
        assertThat(reload.stderr()).contains("RELOAD_SSHD is '1', expected yes or no");
        assertThat(one.exitCode()).isEqualTo(1);
        assertThat(one.stderr()).contains("usage: banger-identity-apply GROW_ROOT RELOAD_SSHD, each yes|no (got 1 arguments)");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(maybe.stdout() + reload.stdout() + one.stdout() + none.stdout()).isEmpty();
    }

    @Test
    void withoutDryRunItRunsTheToolsAndAFailingReloadIsItsExitStatus() throws IOException {
        // Stand-ins for the guest's tools, first on PATH: each logs its argv; sv fails as a sshd that is not supervised would.
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("tools.log");
        for (String tool : List.of("resize2fs", "sv", "systemctl")) {
            Path fake = Files.writeString(bin.resolve(tool), "#!/bin/sh\necho \"" + tool + " $*\" >> " + log + "\n"
                    + (tool.equals("sv") ? "echo 'fail: sshd: runsv not running' >&2\nexit 1\n" : "exit 0\n"));
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        env.remove("BANGER_IDENTITY_DRY_RUN");
        env.put("PATH", bin + ":/usr/bin:/bin");
        Files.delete(systemd);

        CommandResult result = apply("yes", "yes");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("fail: sshd: runsv not running", "banger-identity: sshd did not reload with the new host key (sv exit 1)");
        assertThat(Files.readAllLines(log)).containsExactly("resize2fs /dev/vdb", "sv hup sshd");
    }
}
