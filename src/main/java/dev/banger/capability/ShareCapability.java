package dev.banger.capability;

import dev.banger.guestconfig.GuestConfigBuilder;
import dev.banger.guestconfig.GuestMount;
import dev.banger.model.Share;
import java.util.List;
import java.util.function.Function;

/**
 * The VM's shared host directories, as the guest configuration names them: one
 * {@code banger-share:GUEST_PATH:fuse.sshfs:ro|rw} mount word each, so the guest knows its mount
 * points from boot. The mounts themselves come later, over SSH, once sshd runs (the daemon's
 * share sessions); nothing is prepared on the host here. Stateless.
 */
public final class ShareCapability implements Capability {
    public static final String DEVICE = "banger-share";
    public static final String FS_TYPE = "fuse.sshfs";

    private final Function<String, List<Share>> shares;

    /** @param shares the shares of a VM, by its name */
    public ShareCapability(Function<String, List<Share>> shares) {
        this.shares = shares;
    }

    @Override
    public String name() {
        return "shares";
    }

    @Override
    public void contribute(VmContext vm, MachineDevices machine, GuestConfigBuilder guest) {
        for (Share share : shares.apply(vm.name())) {
            guest.mount(mount(share));
        }
    }

    public static GuestMount mount(Share share) {
        return new GuestMount(DEVICE, share.guestPath(), FS_TYPE, List.of(share.readOnly() ? "ro" : "rw"));
    }
}
