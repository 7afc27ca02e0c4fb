package dev.banger.runtime;

import dev.banger.model.ErrorKind;

/**
 * Bytes whose sha256 differs from the one expected: a corrupted or tampered download, file or
 * bundle. Never downgraded to a warning, not even for optional artifacts.
 */
public final class ChecksumMismatchException extends RuntimeBundleException {
    private final String artifact;
    private final String expected;
    private final String actual;

    public ChecksumMismatchException(String artifact, String expected, String actual, String message) {
        super(ErrorKind.PRECONDITION_FAILED, message);
        this.artifact = artifact;
        this.expected = expected;
        this.actual = actual;
    }

    public String artifact() {
        return artifact;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
