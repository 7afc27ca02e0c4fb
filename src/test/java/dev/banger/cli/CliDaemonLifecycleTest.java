package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.daemon.BangerSandbox;
import dev.banger.host.CommandResult;
import dev.banger.rpc.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon commands as a user runs them: separate CLI processes, a detached daemon. */
@Tag("root")
class CliDaemonLifecycleTest {
    @TempDir
    Path dir;

    private BangerSandbox sandbox;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new BangerSandbox(dir);
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    private static JsonNode lastJsonLine(CommandResult result) throws Exception {
        List<String> lines = result.stdout().strip().lines().toList();
        return Json.mapper().readTree(lines.getLast());
    }

    @Test
    void startStatusStopRoundTripWithADetachedDaemon() throws Exception {
        CommandResult before = sandbox.cli("daemon", "status");
        assertThat(before.exitCode()).isEqualTo(ExitCodes.DAEMON_UNAVAILABLE);
        assertThat(before.stdout()).contains("not running");

        CommandResult start = sandbox.cli("daemon", "start");
        assertThat(start.exitCode()).as(start.stderr()).isZero();
        assertThat(start.stdout()).contains("bangerd started");
        long pid = sandbox.lockedPid().orElseThrow();
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
        // Detached: its own session leader, and it outlived the CLI that started it.
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertThat(Long.parseLong(fields[3])).as("session id").isEqualTo(pid);
        assertThat(daemon.isAlive()).isTrue();

        CommandResult again = sandbox.cli("daemon", "start");
        assertThat(again.stdout()).contains("already running").contains("pid " + pid);

        CommandResult status = sandbox.cli("daemon", "status", "--json");
        assertThat(status.exitCode()).isZero();
        JsonNode json = lastJsonLine(status);
        assertThat(json.get("pid").asLong()).isEqualTo(pid);
        assertThat(json.get("socket").asText()).isEqualTo(sandbox.paths().socket().toString());
        assertThat(json.get("stateDir").asText()).isEqualTo(sandbox.paths().stateDir().toString());
        assertThat(json.get("version").asText()).isNotBlank();
        assertThat(json.get("uptimeSeconds").asLong()).isNotNegative();

        CommandResult text = sandbox.cli("daemon", "status");
        assertThat(text.stdout()).contains("pid:").contains(Long.toString(pid)).contains("uptime:").contains("state dir:");

        CommandResult stop = sandbox.cli("daemon", "stop");
        assertThat(stop.exitCode()).as(stop.stderr()).isZero();
        assertThat(stop.stdout()).contains("stopped");
        assertThat(daemon.isAlive()).isFalse();
        assertThat(sandbox.paths().socket()).doesNotExist();
        assertThat(sandbox.cli("daemon", "stop").stdout()).contains("not running");
    }

    @Test
    void commandThatNeedsTheDaemonStartsIt() throws Exception {
        CommandResult list = sandbox.cli("image", "list", "--json");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stderr()).doesNotContain("not reachable");
        assertThat(lastJsonLine(list).get("images").isArray()).isTrue();
        assertThat(sandbox.lockedPid().flatMap(ProcessHandle::of)).isPresent();
    }

    @Test
    void doctorWithoutADaemonRunsTheDaemonsChecksInItsOwnProcessAndStartsNoDaemon() throws Exception {
        CommandResult here = sandbox.cli("doctor", "--json");

        assertThat(here.stderr()).contains("not reachable at " + sandbox.paths().socket())
                .contains("the checks ran in this process instead");
        assertThat(sandbox.lockedPid()).as("doctor started a daemon").isEmpty();
        assertThat(sandbox.paths().socket()).doesNotExist();
        List<String> names = checkNames(lastJsonLine(here));
        assertThat(names).startsWith("config").endsWith("runtime-bundle", "default-image");
        assertThat(here.exitCode()).isEqualTo(anyFailed(lastJsonLine(here)) ? ExitCodes.FAILURE : ExitCodes.OK);

        CommandResult text = sandbox.cli("doctor");
        assertThat(text.stdout().lines().findFirst().orElse("")).contains("the checks ran in this process instead");

        // With a daemon, the same checks in the same order, from doctor.run, and no note.
        assertThat(sandbox.cli("daemon", "start").exitCode()).isZero();
        CommandResult daemon = sandbox.cli("doctor", "--json");
        assertThat(daemon.stderr()).doesNotContain("ran in this process");
        assertThat(checkNames(lastJsonLine(daemon))).isEqualTo(names);
    }

    private static List<String> checkNames(JsonNode report) {
        List<String> names = new java.util.ArrayList<>();
        report.get("checks").forEach(check -> names.add(check.get("name").asText()));
        return names;
    }

    private static boolean anyFailed(JsonNode report) {
        boolean failed = false;
        for (JsonNode check : report.get("checks")) {
            failed |= check.get("status").asText().equals("fail");
        }
        return failed;
    }

    @Test
    void unknownCommandAndBadOptionAreUsageErrors() {
        CommandResult unknown = sandbox.cli("frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.stderr()).contains("frobnicate");
        CommandResult badOption = sandbox.cli("daemon", "status", "--colour");
        assertThat(badOption.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void versionPrintsTheBuildVersion() {
        CommandResult version = sandbox.cli("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("banger ").doesNotContain("unknown").doesNotContain("${");
    }
}
