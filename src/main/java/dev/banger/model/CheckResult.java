package dev.banger.model;

import java.util.Objects;

/**
 * One readiness check's verdict: what was checked, what was found, and — when it is not OK —
 * what the user should do about it.
 */
public record CheckResult(String name, CheckStatus status, String detail, String remedy) {
    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
        remedy = remedy == null ? "" : remedy;
    }

    public static CheckResult ok(String name, String detail) {
        return new CheckResult(name, CheckStatus.OK, detail, "");
    }

    public static CheckResult warn(String name, String detail, String remedy) {
        return new CheckResult(name, CheckStatus.WARN, detail, remedy);
    }

    public static CheckResult fail(String name, String detail, String remedy) {
        return new CheckResult(name, CheckStatus.FAIL, detail, remedy);
    }
}
