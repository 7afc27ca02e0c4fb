package dev.banger.doctor;

import dev.banger.model.CheckResult;
import java.util.Optional;

/**
 * Stands in for a check that needs root when the doctor runs as another user: it keeps the
 * check's name and place in the report and says, as a WARN rather than a FAIL (not being root is
 * not a fault of the host), that it was not run and how to run it. Immutable.
 */
final class NotRunCheck implements Check {
    static final String REMEDY = "run `sudo banger doctor`";

    private final String name;
    private final String reason;

    NotRunCheck(Check replaced, String reason) {
        this.name = replaced.name();
        this.reason = reason;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CheckResult run() {
        return CheckResult.warn(name, "not run: needs root (" + reason + ")", REMEDY);
    }

    @Override
    public Optional<String> needsRoot() {
        return Optional.of(reason);
    }
}
