package dev.banger.model;

import java.util.function.Supplier;

/**
 * Where a staged operation (an image build, a VM create) reports its stages: each named stage
 * runs through {@link #call}, which times it and records its outcome (the daemon writes it to the
 * operation, so the CLI shows it live). A stage's exception propagates after being recorded.
 * Implementations must be safe for use from the operation's thread.
 */
public interface StageRunner {
    <T> T call(String stage, Supplier<T> work);

    default void run(String stage, Runnable work) {
        call(stage, () -> {
            work.run();
            return null;
        });
    }

    /** Records that a finished stage's effects were undone during a rollback. */
    default void rolledBack(String stage) {}

    /** Runs the work without recording anything. */
    StageRunner UNRECORDED = new StageRunner() {
        @Override
        public <T> T call(String stage, Supplier<T> work) {
            return work.get();
        }
    };
}
