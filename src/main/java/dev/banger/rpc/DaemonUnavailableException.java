package dev.banger.rpc;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/** The daemon's socket is missing, refuses connections, went away mid-call, or did not answer in time. */
public final class DaemonUnavailableException extends BangerException {
    private final boolean noAnswer;

    public DaemonUnavailableException(String message) {
        this(message, null, false);
    }

    public DaemonUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private DaemonUnavailableException(String message, Throwable cause, boolean noAnswer) {
        super(ErrorKind.PRECONDITION_FAILED, message, cause);
        this.noAnswer = noAnswer;
    }

    /** The connection held, but no answer came before the deadline. */
    static DaemonUnavailableException noAnswer(String message) {
        return new DaemonUnavailableException(message, null, true);
    }

    /** Whether the connection held and only the answer was missing: something still listens there. */
    public boolean noAnswer() {
        return noAnswer;
    }
}
