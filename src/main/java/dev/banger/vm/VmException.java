package dev.banger.vm;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * A VM operation refused or failed: bad input, a VM in the wrong state, a guest that did not come
 * up in time (with the console tail). Messages say what to do next. Immutable.
 */
public final class VmException extends BangerException {
    VmException(ErrorKind kind, String message) {
        super(kind, message);
    }

    VmException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    static VmException invalid(String message) {
        return new VmException(ErrorKind.INVALID_ARGUMENT, message);
    }

    static VmException conflict(String message) {
        return new VmException(ErrorKind.CONFLICT, message);
    }

    static VmException precondition(String message) {
        return new VmException(ErrorKind.PRECONDITION_FAILED, message);
    }

    static VmException failed(String message) {
        return new VmException(ErrorKind.INTERNAL, message);
    }
}
