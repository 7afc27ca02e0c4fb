package dev.banger.capability;

import dev.banger.guestconfig.GuestConfigBuilder;

/**
 * Outbound access: the guest's default route through the bridge address, where the host
 * masquerades the guest subnet (the rules are installed once for the bridge when the daemon
 * starts, so a create spawns nothing for them). With NAT off the route still reaches the host.
 * Stateless.
 */
public final class NatCapability implements Capability {
    private final String gateway;

    public NatCapability(String gateway) {
        this.gateway = gateway;
    }

    @Override
    public String name() {
        return "nat";
    }

    @Override
    public void contribute(VmContext vm, MachineDevices machine, GuestConfigBuilder guest) {
        guest.gateway(gateway);
    }
}
