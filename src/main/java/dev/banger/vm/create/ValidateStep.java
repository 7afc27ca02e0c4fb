package dev.banger.vm.create;

import dev.banger.vm.boot.CreateStage;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRules;

/**
 * The validate stage: the request's rules were checked when it was planned ({@link VmRules}); this
 * only finds out whether another create took the name since. Changes nothing.
 */
final class ValidateStep implements CreateStep {
    private final VmLifecycle lifecycle;

    ValidateStep(VmLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.VALIDATE;
    }

    @Override
    public void run(CreateJob job) {
        if (lifecycle.find(job.name()).isPresent()) {
            throw VmRules.nameTaken(job.name());
        }
    }
}
