package dev.banger.vm;

import dev.banger.config.VmDefaults;
import dev.banger.model.PortForward;
import dev.banger.model.Share;
import dev.banger.vm.create.CreatePlanner;
import dev.banger.vm.state.VmRules;
import java.util.List;

/**
 * {@code vm create} as asked: any part may be null and takes the configured default (a generated
 * name, the default image, {@code [vm]} sizes). Immutable value.
 *
 * @param slowPath take the slow path on purpose (a fresh TAP, {@code /root} built from the rootfs,
 *                 a full copy of the root disk), so {@code banger bench create --compare-slow-path}
 *                 can show what the fast paths save on the same host at the same moment
 * @param cold     boot the kernel even when a golden snapshot of the shape exists ({@code vm create --cold})
 * @param publish  the ports to publish ({@code vm create --publish}), checked before anything is made
 * @param shares   host directories the VM sees ({@code vm create --share}), checked by {@link VmShares}; null for none
 */
public record CreateRequest(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib, boolean slowPath,
        boolean cold, List<PortForward> publish, List<Share> shares) {
    public CreateRequest {
        publish = publish == null ? List.of() : List.copyOf(publish);
        shares = shares == null ? List.of() : List.copyOf(shares);
    }

    /** A create that publishes no ports and shares nothing. */
    public CreateRequest(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib, boolean slowPath,
            boolean cold) {
        this(name, image, vcpus, memoryMib, diskGib, slowPath, cold, List.of(), List.of());
    }

    public CreateRequest(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib, boolean slowPath) {
        this(name, image, vcpus, memoryMib, diskGib, slowPath, false);
    }

    /** An ordinary create, by the fast paths. */
    public CreateRequest(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib) {
        this(name, image, vcpus, memoryMib, diskGib, false);
    }

    /** This request with the defaults filled in, once every rule ({@link VmRules}) is met; a null name is generated later. */
    CreatePlanner.Request check(VmDefaults defaults) {
        if (name != null) {
            VmRules.requireName(name);
        }
        int cpus = vcpus == null ? defaults.vcpus() : vcpus;
        int memory = memoryMib == null ? VmRules.defaultMemoryMib(defaults) : memoryMib;
        long disk = diskGib == null ? defaults.disk().bytes() : diskGib * VmRules.GIB;
        VmRules.requireSizes(cpus, memory, disk);
        return new CreatePlanner.Request(image, cpus, memory, disk, slowPath, cold, publish);
    }
}
