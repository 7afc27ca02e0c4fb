package dev.banger.rpc;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/** The daemon's socket is missing, refuses connections, or went away mid-call. */
public final class DaemonUnavailableException extends BangerException {
    public DaemonUnavailableException(String message) {
        super(ErrorKind.PRECONDITION_FAILED, message);
    }

    public DaemonUnavailableException(String message, Throwable cause) {
        super(ErrorKind.PRECONDITION_FAILED, message, cause);
    }
}
