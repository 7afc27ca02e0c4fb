package dev.banger.capability;

import dev.banger.guestconfig.GuestConfigBuilder;
import java.util.List;
import java.util.function.Supplier;

/**
 * DNS: publishes {@code <vm>.<domain>} in the daemon's DNS server and points the guest at its
 * resolvers (the daemon's server on the bridge address, or the host's when it could not start)
 * with the banger domain to search. Thread-safe.
 */
public final class DnsCapability implements Capability {
    private final GuestNames names;
    private final Supplier<List<String>> resolvers;
    private final String domain;

    public DnsCapability(GuestNames names, Supplier<List<String>> resolvers, String domain) {
        this.names = names;
        this.resolvers = resolvers;
        this.domain = domain;
    }

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public void prepare(VmContext vm) {
        names.publish(vm.name(), vm.ip());
    }

    @Override
    public void contribute(VmContext vm, MachineDevices machine, GuestConfigBuilder guest) {
        resolvers.get().stream().limit(3).forEach(guest::resolver);
        guest.searchDomain(domain);
    }

    @Override
    public void teardown(VmContext vm) {
        names.unpublish(vm.name());
    }
}
