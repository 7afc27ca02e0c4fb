package dev.banger.capability;

import dev.banger.guestconfig.GuestConfigBuilder;

/**
 * Outbound access: the host masquerades the guest subnet (one set of rules for the bridge,
 * installed by the first VM that needs them and removed with the last, so later creates spawn
 * nothing for it), and the guest's default route goes through the bridge address. The rules are
 * made while the VMM starts and are in place before the guest's boot is awaited. With NAT off
 * the route still reaches the host. Thread-safe.
 */
public final class NatCapability implements Capability {
    private final NatControl nat;
    private final String gateway;

    public NatCapability(NatControl nat, String gateway) {
        this.nat = nat;
        this.gateway = gateway;
    }

    @Override
    public void prepare(VmContext vm) {
        nat.startNat();
    }

    @Override
    public void awaitReady(VmContext vm) {
        nat.awaitNat();
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
