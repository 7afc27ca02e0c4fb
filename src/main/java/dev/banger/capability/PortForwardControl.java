package dev.banger.capability;

/**
 * The host's forwards of the ports a VM publishes. Implementations are thread-safe; calls for one
 * VM are serialised by the VM's lock.
 */
public interface PortForwardControl {
    /**
     * Installs the VM's recorded forwards to {@code ip}, refusing (and installing nothing) when a
     * program on the host now holds one of their host ports; a VM that publishes none costs nothing.
     */
    void install(String vm, String ip);

    /** Removes the VM's forwards from the host; never throws for forwards already gone. */
    void remove(String vm);
}
