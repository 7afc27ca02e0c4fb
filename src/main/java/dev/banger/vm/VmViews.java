package dev.banger.vm;

import dev.banger.model.PortForward;
import dev.banger.model.Share;
import dev.banger.model.Vm;
import dev.banger.model.VmInfo;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRuntime;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** What {@code vm show} and {@code vm list} say of a VM: its row and its recorded runtime. Thread-safe. */
final class VmViews {
    private final VmLifecycle lifecycle;
    private final String domain;
    private final Function<String, List<PortForward>> ports;
    private final Function<String, List<Share>> shares;

    VmViews(VmLifecycle lifecycle, String domain, Function<String, List<PortForward>> ports, Function<String, List<Share>> shares) {
        this.lifecycle = lifecycle;
        this.domain = domain;
        this.ports = ports;
        this.shares = shares;
    }

    VmInfo info(Vm vm) {
        VmRuntime runtime = lifecycle.runtime(vm);
        return new VmInfo(vm.name(), vm.image(), vm.state(), vm.vcpus(), vm.memoryMib(), vm.diskBytes(), vm.network().ip(),
                vm.network().mac(), vm.network().vsockCid(), vm.name() + "." + domain, vm.vmm(),
                runtime.instance() == null || runtime.instance().acceleration() == null ? null
                        : runtime.instance().acceleration().summary(),
                vm.pid(), runtime.tap(),
                runtime.rootDisk() == null ? null : runtime.rootDisk().strategy().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                runtime.vmDir().toString(), vm.createdAt(), vm.updatedAt(), ports.apply(vm.name()), shares.apply(vm.name()));
    }
}
