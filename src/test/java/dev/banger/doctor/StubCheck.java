package dev.banger.doctor;

import dev.banger.model.CheckResult;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A hand-made check for the doctor's own tests: a name, a body, and what it declares (why it
 * needs root, which checks it waits for).
 */
record StubCheck(String name, Optional<String> needsRoot, Set<String> dependsOn, Supplier<CheckResult> body)
        implements Check {
    static StubCheck of(String name, Supplier<CheckResult> body) {
        return new StubCheck(name, Optional.empty(), Set.of(), body);
    }

    static StubCheck dependingOn(String name, Set<String> dependsOn, Supplier<CheckResult> body) {
        return new StubCheck(name, Optional.empty(), dependsOn, body);
    }

    @Override
    public CheckResult run() {
        return body.get();
    }
}
