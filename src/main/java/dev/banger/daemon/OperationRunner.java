package dev.banger.daemon;

import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.model.OperationState;
import dev.banger.model.StageRunner;
import dev.banger.model.StageState;
import dev.banger.store.OperationRepository;
import dev.banger.store.OperationRepository.StageChange;
import dev.banger.vm.FaultPoints;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs staged operations in the background: {@link #begin} records the operation with its planned
 * stages and returns at once, so the RPC answers with the id while the work goes on in a virtual
 * thread; each stage's start, end and error go to the store, stamped as they happen and written
 * behind the work ({@link StageWriter}), and to the lifecycle log with their durations; the
 * operation's end is written once its stages are. Thread-safe.
 */
final class OperationRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.banger.lifecycle");

    private final OperationRepository operations;
    private final FaultPoints faults;
    private final StageWriter stages;

    OperationRunner(OperationRepository operations) {
        this(operations, FaultPoints.NONE);
    }

    /** With fault points: a stage named by one ({@code <kind>:<stage>}) holds at its start, for the fault suite. */
    OperationRunner(OperationRepository operations, FaultPoints faults) {
        this.operations = operations;
        this.faults = faults;
        this.stages = new StageWriter(operations);
    }

    /** Starts {@code work} on its own thread; the operation fails with the work's exception message. */
    Operation begin(OperationKind kind, String target, List<String> stages, Consumer<StageRunner> work) {
        Operation operation = operations.begin(kind, target, stages);
        Thread.ofVirtual().name(kind.wireName() + "-" + target).start(() -> run(operation, work));
        return operation;
    }

    private void run(Operation operation, Consumer<StageRunner> work) {
        String label = operation.kind().wireName() + " " + operation.target();
        try {
            work.accept(new Recorder(operation.id(), operation.kind().wireName(), label));
            flushStages(label);
            operations.finish(operation.id(), OperationState.SUCCEEDED, null);
            LOG.info("{}: succeeded", label);
        } catch (RuntimeException | Error e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("{}: failed: {}", label, message, e);
            try {
                flushStages(label);
                operations.finish(operation.id(), OperationState.FAILED, message);
            } catch (RuntimeException storeError) {
                LOG.error("{}: cannot record the failure: {}", label, storeError.toString());
            }
        }
    }

    private void flushStages(String label) {
        if (!stages.flush()) {
            LOG.warn("{}: its stage records are still being written after {} s", label, StageWriter.FLUSH_LIMIT.toSeconds());
        }
    }

    /** Stops the stage writer once what it holds is written. */
    @Override
    public void close() {
        stages.close();
    }

    /** Records each stage on the operation and times it in the lifecycle log. */
    private final class Recorder implements StageRunner {
        private final String operationId;
        private final String kind;
        private final String label;

        Recorder(String operationId, String kind, String label) {
            this.operationId = operationId;
            this.kind = kind;
            this.label = label;
        }

        @Override
        public <T> T call(String stage, Supplier<T> work) {
            change(stage, StageState.RUNNING, null);
            if (faults.armed()) {
                // A daemon killed at a fault point leaves this stage on record as running.
                stages.flush();
            }
            faults.reach(kind, stage);
            long start = System.nanoTime();
            try {
                T result = work.get();
                change(stage, StageState.SUCCEEDED, null);
                LOG.info("{}: stage {} took {} ms", label, stage, (System.nanoTime() - start) / 1_000_000);
                return result;
            } catch (RuntimeException | Error e) {
                change(stage, StageState.FAILED, e.getMessage() == null ? e.toString() : e.getMessage());
                LOG.info("{}: stage {} failed after {} ms", label, stage, (System.nanoTime() - start) / 1_000_000);
                throw e;
            }
        }

        @Override
        public void rolledBack(String stage) {
            change(stage, StageState.ROLLED_BACK, null);
            LOG.info("{}: stage {} rolled back", label, stage);
        }

        private void change(String stage, StageState state, String error) {
            stages.submit(new StageChange(operationId, stage, state, operations.now(), error));
        }
    }
}
