package dev.banger.vmm;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * A VMM could not start, be configured or be stopped. Messages name the VM, what was asked, the
 * backend's own words (Firecracker's {@code fault_message}, QEMU's stderr) and the end of the VMM
 * log. Immutable.
 */
public class VmmException extends BangerException {
    public VmmException(String message) {
        super(ErrorKind.INTERNAL, message);
    }

    public VmmException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public VmmException(String message, Throwable cause) {
        super(ErrorKind.INTERNAL, message, cause);
    }
}
