package dev.banger.vm.create;

import dev.banger.vm.boot.CreateStage;

/**
 * One host-side stage of a create ({@link CreatePipeline}): it changes the host for the job and
 * pushes the undo of each change onto the job's {@link dev.banger.vm.boot.UndoLog} right beside it.
 */
interface CreateStep {
    CreateStage stage();

    void run(CreateJob job);
}
