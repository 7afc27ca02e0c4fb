package dev.banger.daemon;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/** The daemon cannot start or serve: another instance holds the state dir, the socket is taken, … */
public final class DaemonException extends BangerException {
    public DaemonException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public DaemonException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
