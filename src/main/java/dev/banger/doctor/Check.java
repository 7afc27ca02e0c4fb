package dev.banger.doctor;

import dev.banger.model.CheckResult;
import java.util.Optional;
import java.util.Set;

/**
 * One readiness check, shared by {@code banger doctor} and the daemon's preflight. A check never
 * throws: whatever goes wrong becomes a WARN or FAIL result that says what to do.
 * Implementations must be safe to run concurrently with other checks.
 */
public interface Check {
    /** Short stable name shown in the report, e.g. {@code kvm} or {@code state-dir}. */
    String name();

    CheckResult run();

    /**
     * Why this check can only tell the truth when run as root, e.g. "it writes a test file into
     * the state directory"; empty when any user can run it. The one place the rule lives: a
     * doctor run by another user ({@link Doctor#runnableBy}) reports such a check as not run
     * instead of running it, since as a user it would fail for reasons bangerd never meets.
     */
    default Optional<String> needsRoot() {
        return Optional.empty();
    }

    /**
     * Names of the checks whose verdict this one reads (e.g. {@code firecracker} reports the
     * {@code kvm} check's): {@link Doctor#run} starts it only after those have finished, so one
     * report never contradicts itself. Names not in the doctor's list are ignored. Empty by default.
     */
    default Set<String> dependsOn() {
        return Set.of();
    }
}
