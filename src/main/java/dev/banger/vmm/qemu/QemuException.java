package dev.banger.vmm.qemu;

import dev.banger.model.ErrorKind;
import dev.banger.vmm.VmmException;

/**
 * The QEMU backend's one error type: QEMU refused its command line, exited early, did not answer
 * QMP in time, or QMP returned an error (then {@link #qmpErrorClass()} holds QMP's
 * {@code error.class}, and the message its {@code error.desc}). Immutable.
 */
public final class QemuException extends VmmException {
    private final String qmpErrorClass;

    QemuException(String message) {
        super(message);
        this.qmpErrorClass = null;
    }

    QemuException(ErrorKind kind, String message) {
        super(kind, message);
        this.qmpErrorClass = null;
    }

    QemuException(String message, Throwable cause) {
        super(message, cause);
        this.qmpErrorClass = null;
    }

    QemuException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message);
        initCause(cause);
        this.qmpErrorClass = null;
    }

    QemuException(String message, String qmpErrorClass) {
        super(message);
        this.qmpErrorClass = qmpErrorClass;
    }

    /** QMP's {@code error.class} (e.g. {@code GenericError}) when QMP refused a command, else {@code null}. */
    public String qmpErrorClass() {
        return qmpErrorClass;
    }
}
