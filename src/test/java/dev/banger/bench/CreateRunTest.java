package dev.banger.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.model.OperationState;
import dev.banger.model.Stage;
import dev.banger.model.StageState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreateRunTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    /** A finished create whose stages took {@code millis} each, back to back, starting {@code lag} ms after the request. */
    static Operation operation(long lag, long... millis) {
        List<String> names = List.of("validate", "allocate", "vmm-start", "boot", "sshd");
        List<Stage> stages = new ArrayList<>();
        Instant at = T0.plusMillis(lag);
        for (int i = 0; i < millis.length; i++) {
            Instant end = at.plusMillis(millis[i]);
            stages.add(new Stage(names.get(i), i, StageState.SUCCEEDED, at, end, null));
            at = end;
        }
        return new Operation("op-1", OperationKind.VM_CREATE, "vm1", OperationState.SUCCEEDED, null, T0.plusMillis(lag), at, stages);
    }

    /**
     * A finished create restored from a snapshot: validate, allocate, restore, identity and sshd took
     * {@code millis} each, back to back, from {@code lag} ms after the request; vmm-start and boot were skipped.
     */
    static Operation restored(long lag, long... millis) {
        List<String> names = List.of("validate", "allocate", "restore", "identity", "sshd");
        List<Stage> stages = new ArrayList<>();
        Instant at = T0.plusMillis(lag);
        for (int i = 0; i < millis.length; i++) {
            Instant end = at.plusMillis(millis[i]);
            stages.add(new Stage(names.get(i), stages.size(), StageState.SUCCEEDED, at, end, null));
            at = end;
            if (names.get(i).equals("identity")) {
                stages.add(new Stage("vmm-start", stages.size(), StageState.SKIPPED, null, null, null));
                stages.add(new Stage("boot", stages.size(), StageState.SKIPPED, null, null, null));
            }
        }
        return new Operation("op-2", OperationKind.VM_CREATE, "vm2", OperationState.SUCCEEDED, null, T0.plusMillis(lag), at, stages);
    }

    @Test
    void aRestoredCreateLeavesOutTheSkippedStagesAndItsHostSideEndsWithTheRestore() {
        CreateRun run = CreateRun.of(CreatePath.FAST, T0, restored(3, 1, 2, 120, 15, 200), Duration.ofMillis(90), Duration.ZERO,
                310L << 20);

        assertThat(run.stages()).containsOnlyKeys("validate", "allocate", "restore", "identity", "sshd");
        assertThat(run.restored()).isTrue();
        assertThat(run.vmmStarted()).isEqualTo(T0.plusMillis(3 + 1 + 2 + 120));
        assertThat(run.hostSide()).isEqualTo(3 + 1 + 2 + 120);
        assertThat(run.machineStart()).isEqualTo(120);
        assertThat(run.create()).isEqualTo(3 + 1 + 2 + 120 + 15 + 200);
        assertThat(run.rssBytes()).isEqualTo(310L << 20);
    }

    @Test
    void aRestoreThatFellBackToABootIsNotARestoredCreate() {
        Operation booted = operation(0, 1, 2, 30, 4000);
        List<Stage> stages = new ArrayList<>(booted.stages());
        Instant at = stages.get(1).endedAt();
        stages.add(2, new Stage("restore", 2, StageState.FAILED, at, at, "the snapshot's kernel is not the image's"));
        Operation fellBack = new Operation(booted.id(), booted.kind(), booted.target(), booted.state(), null, booted.startedAt(),
                booted.endedAt(), stages);

        CreateRun run = CreateRun.of(CreatePath.FAST, T0, fellBack, Duration.ZERO, Duration.ZERO, null);

        assertThat(run.restored()).isFalse();
        assertThat(run.vmmStarted()).isEqualTo(stages.get(3).endedAt());
        assertThat(run.machineStart()).isEqualTo(30);
    }

    @Test
    void hostSideRunsFromTheRequestToTheEndOfTheVmmStartStage() {
        CreateRun run = CreateRun.of(CreatePath.FAST, T0, operation(4, 1, 20, 300, 20_000), Duration.ofMillis(250),
                Duration.ofMillis(900), null);

        assertThat(run.stages()).containsExactly(
                org.assertj.core.api.Assertions.entry("validate", 1.0), org.assertj.core.api.Assertions.entry("allocate", 20.0),
                org.assertj.core.api.Assertions.entry("vmm-start", 300.0), org.assertj.core.api.Assertions.entry("boot", 20_000.0));
        assertThat(run.hostSide()).isEqualTo(4 + 1 + 20 + 300);
        assertThat(run.create()).isEqualTo(4 + 1 + 20 + 300 + 20_000);
        assertThat(run.total()).isEqualTo(run.create() + 250);
        assertThat(run.delete()).isEqualTo(900);
        assertThat(run.vmmStarted()).isEqualTo(T0.plusMillis(325));
    }

    @Test
    void aStageWithoutTimesIsRefusedRatherThanCountedAsZero() {
        Operation op = operation(0, 1, 2, 3, 4);
        List<Stage> stages = new ArrayList<>(op.stages());
        stages.set(3, new Stage("boot", 3, StageState.PENDING, null, null, null));
        Operation unfinished = new Operation(op.id(), op.kind(), op.target(), op.state(), null, op.startedAt(), op.endedAt(), stages);

        assertThatThrownBy(() -> CreateRun.of(CreatePath.FAST, T0, unfinished, Duration.ZERO, Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("boot");
    }
}
