package dev.banger.store;

import dev.banger.model.ErrorKind;
import dev.banger.model.PortForward;
import dev.banger.model.Vm;
import java.util.List;
import java.util.Objects;

/**
 * What the caller decides about a VM about to be created; the store adds the state, the network
 * allocation and the times. Immutable value; {@link #validate()} reports bad input as
 * {@link ErrorKind#INVALID_ARGUMENT}.
 *
 * @param name      unique name matching {@link Vm#NAME_PATTERN}
 * @param image     name of an existing image
 * @param vcpus     at least 1
 * @param memoryMib at least 1
 * @param diskBytes size of the work disk, at least 1
 * @param vmm       backend name, e.g. {@code firecracker} or {@code qemu}
 * @param ports     the ports it publishes, recorded with the row ({@code vm create --publish})
 */
public record NewVm(String name, String image, int vcpus, int memoryMib, long diskBytes, String vmm, List<PortForward> ports) {
    public NewVm {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(vmm, "vmm");
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** A VM that publishes no ports. */
    public NewVm(String name, String image, int vcpus, int memoryMib, long diskBytes, String vmm) {
        this(name, image, vcpus, memoryMib, diskBytes, vmm, List.of());
    }

    void validate() {
        if (!Vm.isValidName(name)) {
            throw invalid("VM name '" + name + "' is invalid: use 1 to 63 lower-case letters, digits and '-',"
                    + " starting with a letter or digit (e.g. dev1)");
        }
        if (vcpus < 1) {
            throw invalid("VM '" + name + "' needs at least 1 vCPU, got " + vcpus);
        }
        if (memoryMib < 1) {
            throw invalid("VM '" + name + "' needs a positive memory size, got " + memoryMib + " MiB");
        }
        if (diskBytes < 1) {
            throw invalid("VM '" + name + "' needs a positive disk size, got " + diskBytes + " bytes");
        }
        if (vmm.isBlank()) {
            throw invalid("VM '" + name + "' needs a VMM backend name (e.g. firecracker or qemu)");
        }
    }

    private static StoreException invalid(String message) {
        return new StoreException(ErrorKind.INVALID_ARGUMENT, message);
    }
}
