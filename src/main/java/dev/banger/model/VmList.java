package dev.banger.model;

import java.util.List;

/** {@code vm.list}: every VM, sorted by name. Immutable value. */
public record VmList(List<VmInfo> vms) {
    public VmList {
        vms = List.copyOf(vms);
    }
}
