package dev.banger.host.disk;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * A disk could not be cloned, grown, repaired or removed, or was asked for something unsafe
 * (a shrink, an existing target, a relative path). Messages name the file or device and say what
 * to do next; a failed program's argv, exit code and stderr travel in the cause. Immutable.
 */
public final class DiskException extends BangerException {
    DiskException(ErrorKind kind, String message) {
        super(kind, message);
    }

    DiskException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    static DiskException invalid(String message) {
        return new DiskException(ErrorKind.INVALID_ARGUMENT, message);
    }

    static DiskException conflict(String message) {
        return new DiskException(ErrorKind.CONFLICT, message);
    }

    static DiskException precondition(String message) {
        return new DiskException(ErrorKind.PRECONDITION_FAILED, message);
    }

    static DiskException internal(String message) {
        return new DiskException(ErrorKind.INTERNAL, message);
    }

    /** Adds what was being done to a failure, keeping its kind when it is one of banger's own. */
    static DiskException wrap(String what, RuntimeException cause) {
        ErrorKind kind = cause instanceof BangerException banger ? banger.kind() : ErrorKind.INTERNAL;
        return new DiskException(kind, what + ": " + cause.getMessage(), cause);
    }

    static DiskException failed(String message, Throwable cause) {
        return new DiskException(ErrorKind.INTERNAL, message + ": " + cause.getMessage(), cause);
    }
}
