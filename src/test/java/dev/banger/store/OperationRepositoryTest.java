package dev.banger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.model.OperationState;
import dev.banger.model.Stage;
import dev.banger.model.StageState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path dir;

    private final SteppingClock clock = new SteppingClock(T0, Duration.ofMillis(10));
    private Path db;
    private Store store;
    private OperationRepository operations;

    @BeforeEach
    void open() {
        db = dir.resolve("state.db");
        store = Store.open(db, clock);
        operations = store.operations();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void beginRecordsPlannedStagesAsPendingInOrder() {
        Operation op = operations.begin(OperationKind.VM_CREATE, "dev1", List.of("validate", "allocate", "boot"));

        assertThat(op.state()).isEqualTo(OperationState.RUNNING);
        assertThat(op.kind()).isEqualTo(OperationKind.VM_CREATE);
        assertThat(op.target()).isEqualTo("dev1");
        assertThat(op.endedAt()).isNull();
        assertThat(op.stages()).extracting(Stage::name).containsExactly("validate", "allocate", "boot");
        assertThat(op.stages()).extracting(Stage::order).containsExactly(0, 1, 2);
        assertThat(op.stages()).allSatisfy(s -> assertThat(s.state()).isEqualTo(StageState.PENDING));
        assertThat(operations.get(op.id())).isEqualTo(op);
    }

    @Test
    void stagesAreTimedAndAFailureSkipsWhatWasNotRun() {
        String id = operations.begin(OperationKind.VM_CREATE, "dev1", List.of("validate", "allocate", "boot")).id();

        operations.startStage(id, "validate");
        operations.finishStage(id, "validate", StageState.SUCCEEDED, null);
        operations.startStage(id, "allocate");
        operations.finishStage(id, "allocate", StageState.FAILED, "subnet full");
        operations.finishStage(id, "cleanup", StageState.SUCCEEDED, null);
        Operation done = operations.finish(id, OperationState.FAILED, "allocate: subnet full");

        assertThat(done.state()).isEqualTo(OperationState.FAILED);
        assertThat(done.error()).isEqualTo("allocate: subnet full");
        assertThat(done.endedAt()).isAfter(done.startedAt());
        assertThat(done.stages()).extracting(Stage::name, Stage::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("validate", StageState.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("allocate", StageState.FAILED),
                org.assertj.core.groups.Tuple.tuple("boot", StageState.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("cleanup", StageState.SUCCEEDED));
        Stage validate = done.stages().get(0);
        assertThat(validate.duration()).hasValue(Duration.ofMillis(10));
        assertThat(done.stages().get(1).error()).isEqualTo("subnet full");
        assertThat(done.stages().get(2).startedAt()).isNull();
    }

    @Test
    void finishedOperationCannotChange() {
        String id = operations.begin(OperationKind.VM_CREATE, "dev1", List.of()).id();
        operations.finish(id, OperationState.SUCCEEDED, null);

        assertThatThrownBy(() -> operations.startStage(id, "boot"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED))
                .hasMessageContaining("has already succeeded");
    }

    @Test
    void unknownOperationIsNotFound() {
        assertThat(operations.find("nope")).isEmpty();
        assertThatThrownBy(() -> operations.finishStage("nope", "boot", StageState.SUCCEEDED, null))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("operation nope not found");
    }

    @Test
    void failUnfinishedEndsRunningOperationsAndTheirRunningStages() {
        String running = operations.begin(OperationKind.VM_CREATE, "a", List.of("boot", "services")).id();
        operations.startStage(running, "boot");
        String finished = operations.begin(OperationKind.VM_CREATE, "b", List.of()).id();
        operations.finish(finished, OperationState.SUCCEEDED, null);

        assertThat(operations.failUnfinished("bangerd restarted")).isEqualTo(1);

        Operation op = operations.get(running);
        assertThat(op.state()).isEqualTo(OperationState.FAILED);
        assertThat(op.error()).isEqualTo("bangerd restarted");
        assertThat(op.stages()).extracting(Stage::state).containsExactly(StageState.FAILED, StageState.SKIPPED);
        assertThat(operations.get(finished).state()).isEqualTo(OperationState.SUCCEEDED);
    }

    @Test
    void corruptStageStateNamesTheStage() throws Exception {
        String id = operations.begin(OperationKind.VM_CREATE, "dev1", List.of("boot")).id();
        RawSql.exec(db, "UPDATE operation_stages SET state = 'exploded'");

        assertThatThrownBy(() -> operations.get(id))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL))
                .hasMessageContaining("corrupt row in table 'operation_stages' (operation '" + id + "', stage 'boot')")
                .hasMessageContaining("column 'state' holds unknown value 'exploded'");
    }

    /** A clock that advances by a fixed step each time it is read. */
    private static final class SteppingClock extends Clock {
        private Instant next;
        private final Duration step;

        SteppingClock(Instant start, Duration step) {
            this.next = start;
            this.step = step;
        }

        @Override
        public synchronized Instant instant() {
            Instant now = next;
            next = next.plus(step);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void recordStagesAppliesChangesWithTheirOwnTimesInOneGo() {
        Operation op = operations.begin(OperationKind.VM_CREATE, "dev1", List.of("validate", "allocate", "boot"));
        Instant t1 = T0.plusSeconds(1);

        int applied = operations.recordStages(List.of(
                new OperationRepository.StageChange(op.id(), "validate", StageState.RUNNING, t1, null),
                new OperationRepository.StageChange(op.id(), "validate", StageState.SUCCEEDED, t1.plusMillis(5), null),
                new OperationRepository.StageChange(op.id(), "allocate", StageState.RUNNING, t1.plusMillis(6), null),
                new OperationRepository.StageChange(op.id(), "allocate", StageState.FAILED, t1.plusMillis(9), "no addresses left"),
                new OperationRepository.StageChange(op.id(), "cleanup", StageState.ROLLED_BACK, t1.plusMillis(12), null)));

        assertThat(applied).isEqualTo(5);
        List<Stage> stages = operations.get(op.id()).stages();
        assertThat(stages).extracting(Stage::name).containsExactly("validate", "allocate", "boot", "cleanup");
        assertThat(stages.get(0)).satisfies(s -> {
            assertThat(s.state()).isEqualTo(StageState.SUCCEEDED);
            assertThat(s.startedAt()).isEqualTo(t1);
            assertThat(s.endedAt()).isEqualTo(t1.plusMillis(5));
        });
        assertThat(stages.get(1)).satisfies(s -> {
            assertThat(s.state()).isEqualTo(StageState.FAILED);
            assertThat(s.startedAt()).isEqualTo(t1.plusMillis(6));
            assertThat(s.error()).isEqualTo("no addresses left");
        });
        assertThat(stages.get(2).state()).isEqualTo(StageState.PENDING);
        assertThat(stages.get(3)).satisfies(s -> {
            assertThat(s.state()).isEqualTo(StageState.ROLLED_BACK);
            assertThat(s.startedAt()).isNull();
            assertThat(s.endedAt()).isEqualTo(t1.plusMillis(12));
        });
    }

    @Test
    void recordStagesSkipsChangesToEndedOrUnknownOperationsAndKeepsTheOthers() {
        Operation ended = operations.begin(OperationKind.VM_CREATE, "dev1", List.of("validate"));
        operations.finish(ended.id(), OperationState.FAILED, "gone");
        Operation running = operations.begin(OperationKind.VM_CREATE, "dev2", List.of("validate"));

        int applied = operations.recordStages(List.of(
                new OperationRepository.StageChange(ended.id(), "validate", StageState.RUNNING, T0, null),
                new OperationRepository.StageChange("no-such-operation", "validate", StageState.RUNNING, T0, null),
                new OperationRepository.StageChange(running.id(), "validate", StageState.RUNNING, T0, null)));

        assertThat(applied).isEqualTo(1);
        assertThat(operations.get(ended.id()).stages()).singleElement().extracting(Stage::state).isEqualTo(StageState.SKIPPED);
        assertThat(operations.get(running.id()).stages()).singleElement().extracting(Stage::state).isEqualTo(StageState.RUNNING);
    }

    @Test
    void aStageChangeCannotMakeAStagePending() {
        assertThatThrownBy(() -> new OperationRepository.StageChange("op", "validate", StageState.PENDING, T0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
