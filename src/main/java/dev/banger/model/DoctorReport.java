package dev.banger.model;

import java.util.List;

/** All readiness checks of one doctor run, in the order they ran. */
public record DoctorReport(List<CheckResult> checks) {
    public DoctorReport {
        checks = List.copyOf(checks);
    }

    public boolean hasFailures() {
        return checks.stream().anyMatch(c -> c.status() == CheckStatus.FAIL);
    }

    public CheckStatus worst() {
        return checks.stream().map(CheckResult::status).max(Enum::compareTo).orElse(CheckStatus.OK);
    }
}
