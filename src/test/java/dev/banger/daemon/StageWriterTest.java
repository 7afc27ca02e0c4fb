package dev.banger.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.model.Stage;
import dev.banger.model.StageState;
import dev.banger.store.OperationRepository;
import dev.banger.store.OperationRepository.StageChange;
import dev.banger.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageWriterTest {
    @TempDir
    Path dir;

    private Store store;
    private OperationRepository operations;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("state.db"));
        operations = store.operations();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void flushReturnsOnceEveryChangeSubmittedBeforeItIsInTheStore() throws Exception {
        List<String> planned = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ops.add(operations.begin(OperationKind.VM_CREATE, "vm" + i, planned));
        }
        try (StageWriter writer = new StageWriter(operations); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> submitters = new ArrayList<>();
            for (Operation op : ops) {
                submitters.add(threads.submit(() -> {
                    for (String stage : planned) {
                        writer.submit(new StageChange(op.id(), stage, StageState.RUNNING, operations.now(), null));
                        writer.submit(new StageChange(op.id(), stage, StageState.SUCCEEDED, operations.now(), null));
                    }
                }));
            }
            for (Future<?> submitter : submitters) {
                submitter.get();
            }

            assertThat(writer.flush()).isTrue();

            for (Operation op : ops) {
                assertThat(operations.get(op.id()).stages()).extracting(Stage::state).containsOnly(StageState.SUCCEEDED);
            }
        }
    }

    @Test
    void closeWritesWhatIsQueuedAndLaterChangesAreWrittenByTheirSubmitter() {
        Operation op = operations.begin(OperationKind.VM_CREATE, "vm", List.of("a", "b"));
        StageWriter writer = new StageWriter(operations);
        writer.submit(new StageChange(op.id(), "a", StageState.SUCCEEDED, operations.now(), null));

        writer.close();

        assertThat(writer.stopped()).isTrue();
        assertThat(operations.get(op.id()).stages().get(0).state()).isEqualTo(StageState.SUCCEEDED);
        writer.submit(new StageChange(op.id(), "b", StageState.FAILED, operations.now(), "late"));
        assertThat(operations.get(op.id()).stages().get(1).state()).isEqualTo(StageState.FAILED);
    }
}
