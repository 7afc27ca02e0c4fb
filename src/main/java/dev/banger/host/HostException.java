package dev.banger.host;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/** A failure of the host layer: a program that failed, timed out or is missing, or a kernel call. */
public class HostException extends BangerException {
    public HostException(String message) {
        super(ErrorKind.INTERNAL, message);
    }

    public HostException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public HostException(String message, Throwable cause) {
        super(ErrorKind.INTERNAL, message, cause);
    }
}
