package dev.banger.vm;

import dev.banger.model.Vm;
import dev.banger.model.VmInfo;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRuntime;
import java.util.Locale;

/** What {@code vm show} and {@code vm list} say of a VM: its row and its recorded runtime. Thread-safe. */
final class VmViews {
    private final VmLifecycle lifecycle;
    private final String domain;

    VmViews(VmLifecycle lifecycle, String domain) {
        this.lifecycle = lifecycle;
        this.domain = domain;
    }

    VmInfo info(Vm vm) {
        VmRuntime runtime = lifecycle.runtime(vm);
        return new VmInfo(vm.name(), vm.image(), vm.state(), vm.vcpus(), vm.memoryMib(), vm.diskBytes(), vm.network().ip(),
                vm.network().mac(), vm.network().vsockCid(), vm.name() + "." + domain, vm.vmm(),
                runtime.instance() == null || runtime.instance().acceleration() == null ? null
                        : runtime.instance().acceleration().summary(),
                vm.pid(), runtime.tap(),
                runtime.rootDisk() == null ? null : runtime.rootDisk().strategy().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                runtime.vmDir().toString(), vm.createdAt(), vm.updatedAt());
    }
}
