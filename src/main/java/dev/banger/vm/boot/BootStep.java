package dev.banger.vm.boot;

/**
 * One stage of the {@link BootSequence}, run for a create and for a start alike; like a
 * create step it pushes the undo of each change beside it.
 */
interface BootStep {
    CreateStage stage();

    void run(BootJob job);
}
