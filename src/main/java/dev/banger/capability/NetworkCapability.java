package dev.banger.capability;

import dev.banger.guestconfig.GuestConfigBuilder;

/** The guest's name and its address on the bridge network. Stateless. */
public final class NetworkCapability implements Capability {
    @Override
    public String name() {
        return "network";
    }

    @Override
    public void contribute(VmContext vm, MachineDevices machine, GuestConfigBuilder guest) {
        guest.hostname(vm.name()).address(vm.ip() + "/" + vm.prefix());
    }
}
