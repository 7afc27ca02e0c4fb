package dev.banger.vm.state;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * A VM operation refused or failed: bad input, a VM in the wrong state, a guest that did not come
 * up in time (with the console tail). Messages say what to do next. Immutable.
 */
public final class VmException extends BangerException {
    public VmException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public VmException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    public static VmException invalid(String message) {
        return new VmException(ErrorKind.INVALID_ARGUMENT, message);
    }

    public static VmException conflict(String message) {
        return new VmException(ErrorKind.CONFLICT, message);
    }

    public static VmException precondition(String message) {
        return new VmException(ErrorKind.PRECONDITION_FAILED, message);
    }

    public static VmException failed(String message) {
        return new VmException(ErrorKind.INTERNAL, message);
    }
}
