package dev.banger.doctor;

import dev.banger.model.CheckResult;

/**
 * One readiness check, shared by {@code banger doctor} and the daemon's preflight. A check never
 * throws: whatever goes wrong becomes a WARN or FAIL result that says what to do.
 * Implementations must be safe to run concurrently with other checks.
 */
public interface Check {
    /** Short stable name shown in the report, e.g. {@code kvm} or {@code state-dir}. */
    String name();

    CheckResult run();
}
