package dev.banger.agent;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * Talking to a guest agent failed. {@link #reason()} lets a caller that waits for a booting guest
 * tell "not up yet, try again" ({@link Reason#UNREACHABLE}, {@link Reason#HANDSHAKE_REFUSED}) from
 * "up but broken" ({@link Reason#PROTOCOL}). Messages name the endpoint and the step.
 */
public final class AgentException extends BangerException {
    /** Why the call failed. */
    public enum Reason {
        /** The host-side socket cannot be connected (no VMM, wrong path, socket not yet created). */
        UNREACHABLE,
        /** Firecracker's vsock multiplexer refused the {@code CONNECT}: nothing listens on the port yet. */
        HANDSHAKE_REFUSED,
        /** A step did not finish before the call's deadline. */
        DEADLINE_EXCEEDED,
        /** The agent answered, but not with what the protocol promises. */
        PROTOCOL
    }

    private final Reason reason;

    AgentException(Reason reason, String message) {
        super(ErrorKind.INTERNAL, message);
        this.reason = reason;
    }

    AgentException(Reason reason, String message, Throwable cause) {
        super(ErrorKind.INTERNAL, message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether trying again later may succeed (the guest may still be booting). */
    public boolean retryable() {
        return reason != Reason.PROTOCOL;
    }
}
