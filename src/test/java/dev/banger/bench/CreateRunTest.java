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
        List<String> names = List.of("validate", "allocate", "vmm-start", "boot");
        List<Stage> stages = new ArrayList<>();
        Instant at = T0.plusMillis(lag);
        for (int i = 0; i < millis.length; i++) {
            Instant end = at.plusMillis(millis[i]);
            stages.add(new Stage(names.get(i), i, StageState.SUCCEEDED, at, end, null));
            at = end;
        }
        return new Operation("op-1", OperationKind.VM_CREATE, "vm1", OperationState.SUCCEEDED, null, T0.plusMillis(lag), at, stages);
    }

    @Test
    void hostSideRunsFromTheRequestToTheEndOfTheVmmStartStage() {
        CreateRun run = CreateRun.of(CreatePath.FAST, T0, operation(4, 1, 20, 300, 20_000), Duration.ofMillis(250),
                Duration.ofMillis(900));

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

        assertThatThrownBy(() -> CreateRun.of(CreatePath.FAST, T0, unfinished, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("boot");
    }
}
