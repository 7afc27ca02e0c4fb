package dev.banger.vm.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.store.StoredJson;
import dev.banger.vmm.VmmInstance;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a VM holds on the host, stored with its row as JSON so that stop, delete and the daemon's
 * start-up reconcile undo exactly what was done, also after a restart. Immutable value; parts that
 * do not exist yet (or any more) are null.
 *
 * @param vmDir     the VM's directory
 * @param rootDisk  the root disk clone, or null before it exists
 * @param workDisk  the work disk file, or null before it exists
 * @param tap       the TAP device while the VM runs, else null
 * @param instance  the VMM process while the VM runs, else null
 * @param hostKeys  the guest's SSH host public keys as the agent reported them at the last boot
 * @param restoredFrom the golden snapshot directory its disks are overlays on, or null for a VM that booted
 *                  cold (the snapshot's files stay while a VM uses them)
 */
public record VmRuntime(Path vmDir, ClonedDisk rootDisk, Path workDisk, String tap, VmmInstance instance, List<String> hostKeys,
        @JsonInclude(JsonInclude.Include.NON_NULL) Path restoredFrom) {
    public VmRuntime {
        Objects.requireNonNull(vmDir, "vmDir");
        hostKeys = hostKeys == null ? List.of() : List.copyOf(hostKeys);
    }

    public VmRuntime(Path vmDir, ClonedDisk rootDisk, Path workDisk, String tap, VmmInstance instance, List<String> hostKeys) {
        this(vmDir, rootDisk, workDisk, tap, instance, hostKeys, null);
    }

    public static VmRuntime empty(Path vmDir) {
        return new VmRuntime(vmDir, null, null, null, null, List.of());
    }

    public VmRuntime withRootDisk(ClonedDisk disk) {
        return new VmRuntime(vmDir, disk, workDisk, tap, instance, hostKeys, restoredFrom);
    }

    public VmRuntime withWorkDisk(Path disk) {
        return new VmRuntime(vmDir, rootDisk, disk, tap, instance, hostKeys, restoredFrom);
    }

    public VmRuntime withTap(String newTap) {
        return new VmRuntime(vmDir, rootDisk, workDisk, newTap, instance, hostKeys, restoredFrom);
    }

    public VmRuntime withInstance(VmmInstance newInstance) {
        return new VmRuntime(vmDir, rootDisk, workDisk, tap, newInstance, hostKeys, restoredFrom);
    }

    public VmRuntime withHostKeys(List<String> keys) {
        return new VmRuntime(vmDir, rootDisk, workDisk, tap, instance, keys, restoredFrom);
    }

    public VmRuntime withRestoredFrom(Path snapshot) {
        return new VmRuntime(vmDir, rootDisk, workDisk, tap, instance, hostKeys, snapshot);
    }

    /** The same VM with nothing running: no TAP, no VMM process. */
    public VmRuntime stopped() {
        return new VmRuntime(vmDir, rootDisk, workDisk, null, null, hostKeys, restoredFrom);
    }

    public String toJson() {
        try {
            return StoredJson.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw VmException.failed("cannot record the runtime of a VM: " + e.getOriginalMessage());
        }
    }

    public static VmRuntime fromJson(String json, String vm) {
        try {
            return StoredJson.mapper().readValue(json, VmRuntime.class);
        } catch (JsonProcessingException e) {
            throw VmException.failed("the recorded runtime of VM '" + vm + "' cannot be read (" + e.getOriginalMessage()
                    + "); it was written by another banger version or changed by hand");
        }
    }
}
