package dev.banger.capability;

import dev.banger.guestconfig.GuestConfigBuilder;

/**
 * One feature a VM gets from the host (its network address, the work disk, DNS, NAT; later
 * shared folders and port forwards). At create and every start the pipeline calls
 * {@link #prepare} for host state, then {@link #contribute} for the machine's devices and the
 * guest configuration; {@link #teardown} undoes {@code prepare} when the VM is deleted or a create
 * is rolled back, and must tolerate state that is already gone. Implementations are stateless
 * per VM and safe for concurrent use on different VMs.
 */
public interface Capability {
    /** Stable name, used as the contributor in conflict messages. */
    String name();

    /**
     * Host-side state the VM needs; idempotent. What the guest needs only once it runs may be
     * started here and finished in the background, for {@link #awaitReady} to wait for.
     */
    default void prepare(VmContext vm) {}

    /** Waits for what {@link #prepare} left running in the background; called before the guest's boot is awaited. */
    default void awaitReady(VmContext vm) {}

    /** Drives and devices for the machine, values for the guest. */
    void contribute(VmContext vm, MachineDevices machine, GuestConfigBuilder guest);

    /** Undoes {@link #prepare}; never throws for state that is already gone. */
    default void teardown(VmContext vm) {}
}
