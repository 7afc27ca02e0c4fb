package dev.banger.runtime;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * A runtime bundle problem: a bundle or artifact that is missing, a sum that does not match, a
 * source that cannot be fetched, a tarball that is not a bundle. The message always says what to
 * do next (usually the exact command that fixes it).
 */
public sealed class RuntimeBundleException extends BangerException permits ChecksumMismatchException {
    public RuntimeBundleException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public RuntimeBundleException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
