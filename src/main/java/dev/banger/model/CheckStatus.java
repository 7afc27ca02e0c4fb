package dev.banger.model;

/** Outcome of one readiness check. */
public enum CheckStatus {
    OK,
    WARN,
    FAIL
}
