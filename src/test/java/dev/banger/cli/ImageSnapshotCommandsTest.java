package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.model.ErrorKind;
import dev.banger.model.ImageSnapshot;
import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.model.OperationState;
import dev.banger.model.Stage;
import dev.banger.model.StageState;
import dev.banger.rpc.Json;
import dev.banger.rpc.RpcErrorCodes;
import dev.banger.rpc.RpcException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code banger image snapshot} and the snapshots of {@code banger image show}, run in-process against a fake bangerd. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImageSnapshotCommandsTest {
    private static final List<String> STAGES = List.of("prepare", "boot", "save", "freeze");

    @TempDir
    Path dir;

    private FakeVmDaemon daemon;

    record Run(int exitCode, String stdout, String stderr) {
        JsonNode lastJsonLine() throws Exception {
            return Json.mapper().readTree(stdout.strip().lines().toList().getLast());
        }
    }

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
        ImageCommand image = cli.getSubcommands().get("image").getCommand();
        image.connector = daemon.connector();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Stage k takes (k+1)*100 ms; those before {@code running} succeeded; with {@code running} past the end, it is done. */
    private static Operation making(int running, String failure) {
        List<Stage> stages = new ArrayList<>();
        Instant at = FakeVmDaemon.T0;
        for (int k = 0; k < STAGES.size(); k++) {
            boolean failed = failure != null && k == running;
            StageState state = failed ? StageState.FAILED
                    : k < running ? StageState.SUCCEEDED : k == running ? StageState.RUNNING : StageState.PENDING;
            Instant end = at.plusMillis(100L * (k + 1));
            stages.add(new Stage(STAGES.get(k), k, state, state == StageState.PENDING ? null : at,
                    state.isFinished() ? end : null, failed ? failure : null));
            at = end;
        }
        OperationState state = failure != null ? OperationState.FAILED
                : running >= STAGES.size() ? OperationState.SUCCEEDED : OperationState.RUNNING;
        return new Operation("op-snap", OperationKind.IMAGE_SNAPSHOT, "default", state, failure, FakeVmDaemon.T0,
                state == OperationState.RUNNING ? null : at, stages);
    }

    static ImageSnapshot snapshot(int vcpus, int memoryMib, long sizeBytes, long restores) {
        return new ImageSnapshot("qemu", vcpus, memoryMib, "ab12", "console=ttyS0", "cd34", "0.9.0", "fp1", sizeBytes,
                Instant.parse("2026-12-01T09:30:00.123Z"), restores);
    }

    @Test
    void snapshotFollowsEveryStageLiveAndSendsOnlyTheSizesGiven() {
        daemon.snapshotOperations = List.of(making(0, null), making(2, null), making(4, null));

        Run run = banger("image", "snapshot", "default", "--vcpus", "2");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(daemon.onlyParams("image.snapshot.begin", FakeVmDaemon.SnapshotParams.class))
                .isEqualTo(new FakeVmDaemon.SnapshotParams("default", 2, null));
        assertThat(run.stdout()).contains("→ prepare", "→ save");
        for (int k = 0; k < STAGES.size(); k++) {
            assertThat(run.stdout()).containsPattern("✓ " + STAGES.get(k) + " +" + 100 * (k + 1) + " ms");
        }
        assertThat(run.stdout()).contains("saved a snapshot of image 'default' (--vcpus 2) in 1000 ms");
        assertThat(daemon.methodsCalled()).containsExactly("image.snapshot.begin", "image.snapshot.status",
                "image.snapshot.status", "image.snapshot.status");
    }

    @Test
    void aBeginThatAnswersTheWholeOperationIsFollowedFromIt() {
        daemon.snapshotBeginAnswersOperation = true;
        daemon.snapshotOperations = List.of(making(1, null), making(4, null));

        Run run = banger("image", "snapshot", "default");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("✓ prepare", "✓ freeze", "saved a snapshot of image 'default' in 1000 ms");
        assertThat(daemon.methodsCalled()).startsWith("image.snapshot.begin", "image.snapshot.status");
    }

    @Test
    void snapshotWithJsonPrintsOnlyTheFinishedOperation() throws Exception {
        daemon.snapshotOperations = List.of(making(1, null), making(4, null));

        Run run = banger("image", "snapshot", "default", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout().strip().lines()).hasSize(1);
        assertThat(run.lastJsonLine().get("kind").asText()).isEqualTo("image-snapshot");
        assertThat(run.lastJsonLine().get("state").asText()).isEqualTo("succeeded");
        assertThat(daemon.onlyParams("image.snapshot.begin", FakeVmDaemon.SnapshotParams.class))
                .isEqualTo(new FakeVmDaemon.SnapshotParams("default", null, null));
    }

    @Test
    void aFailedSnapshotExitsOneWithTheStageAndTheDaemonsReason() {
        daemon.snapshotOperations = List.of(making(0, null), making(1, "the agent never answered"));

        Run run = banger("image", "snapshot", "default");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.stdout()).contains("✗ boot").contains("the agent never answered");
        assertThat(run.stderr()).contains("image-snapshot of 'default' failed: the agent never answered");
    }

    @Test
    void aRefusedSnapshotExitsWithTheKindsCodeAndTheDaemonsReason() {
        daemon.snapshotRefusal = new RpcException(RpcErrorCodes.INTERNAL_ERROR, ErrorKind.PRECONDITION_FAILED,
                "image 'default' cannot be snapshotted: the firecracker backend saves no snapshots", null);

        Run run = banger("image", "snapshot", "default");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PRECONDITION_FAILED);
        assertThat(run.stderr()).contains("the firecracker backend saves no snapshots");
        assertThat(daemon.methodsCalled()).containsExactly("image.snapshot.begin");
    }

    @Test
    void deletePrintsWhatItRemovedOrThatNothingMatched() throws Exception {
        daemon.deletedSnapshots = List.of(snapshot(2, 1024, 300L << 20, 4), snapshot(4, 2048, 3L << 29, 0));
        Run all = banger("image", "snapshot", "default", "--delete");
        Run json = banger("image", "snapshot", "default", "--delete", "--json");
        daemon.deletedSnapshots = List.of();
        Run none = banger("image", "snapshot", "default", "--delete", "--memory", "512");

        assertThat(all.exitCode()).as(all.stderr()).isZero();
        assertThat(all.stdout().lines()).containsExactly(
                "deleted the snapshot of default: 2 vCPU, 1024 MiB, qemu, 300 MiB freed",
                "deleted the snapshot of default: 4 vCPU, 2048 MiB, qemu, 1.5 GiB freed");
        assertThat(json.lastJsonLine().get("deleted")).hasSize(2);
        assertThat(json.lastJsonLine().get("image").asText()).isEqualTo("default");
        assertThat(none.exitCode()).isZero();
        assertThat(none.stdout().strip()).isEqualTo("no snapshot of default (--memory 512) matched");
        assertThat(daemon.calls.stream().map(FakeVmDaemon.Call::params).toList()).containsExactly(
                new FakeVmDaemon.SnapshotParams("default", null, null), new FakeVmDaemon.SnapshotParams("default", null, null),
                new FakeVmDaemon.SnapshotParams("default", null, 512));
        assertThat(daemon.methodsCalled()).containsOnly("image.snapshot.delete");
    }

    @Test
    void snapshotRejectsABadNameOrSizeBeforeCallingTheDaemon() {
        Run name = banger("image", "snapshot", "Bad_Name");
        Run size = banger("image", "snapshot", "default", "--vcpus", "0");

        assertThat(name.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(name.stderr()).contains("'Bad_Name' is not a valid image name");
        assertThat(size.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(size.stderr()).contains("--vcpus must be at least 1");
        assertThat(daemon.methodsCalled()).isEmpty();
    }

    @Test
    void showListsOneAlignedLinePerSnapshotOrNone() throws Exception {
        daemon.imageSnapshots = List.of(snapshot(2, 1024, 300L << 20, 1), snapshot(16, 16384, 5L << 30, 12));
        Run two = banger("image", "show", "default");
        Run json = banger("image", "show", "default", "--json");
        daemon.imageSnapshots = List.of();
        Run empty = banger("image", "show", "default");

        assertThat(two.exitCode()).as(two.stderr()).isZero();
        List<String> lines = two.stdout().lines().toList();
        int at = lines.indexOf("snapshots:");
        assertThat(lines.subList(at + 1, at + 3)).containsExactly(
                "  2 vCPU, 1024 MiB, qemu    300 MiB  made 2026-12-01T09:30:00Z  1 restore served",
                "  16 vCPU, 16384 MiB, qemu  5 GiB    made 2026-12-01T09:30:00Z  12 restores served");
        assertThat(lines.get(at + 3)).isEqualTo("manifest:");
        assertThat(json.lastJsonLine().get("snapshots").get(1).get("restores").asLong()).isEqualTo(12);
        assertThat(empty.stdout()).contains("snapshots:\n  none\nmanifest:");
    }
}
