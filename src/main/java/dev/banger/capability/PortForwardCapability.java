package dev.banger.capability;

import dev.banger.guestconfig.GuestConfigBuilder;

/**
 * Published ports: at create and every start the VM's recorded forwards ({@code vm create
 * --publish}, {@code vm port add}) are installed in the host's firewall, to the VM's address; a
 * rollback or delete removes them (a stop does too, outside the capabilities). The guest needs
 * nothing for them. Thread-safe.
 */
public final class PortForwardCapability implements Capability {
    private final PortForwardControl ports;

    public PortForwardCapability(PortForwardControl ports) {
        this.ports = ports;
    }

    @Override
    public String name() {
        return "ports";
    }

    @Override
    public void prepare(VmContext vm) {
        ports.install(vm.name(), vm.ip());
    }

    @Override
    public void contribute(VmContext vm, MachineDevices machine, GuestConfigBuilder guest) {}

    @Override
    public void teardown(VmContext vm) {
        ports.remove(vm.name());
    }
}
