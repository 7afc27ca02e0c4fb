package dev.banger.vmm;

import dev.banger.config.VmmChoice;
import dev.banger.model.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides which backend runs the VMs from the configured {@code vmm} choice and two host facts:
 * {@code auto} takes Firecracker only when its binary is there and KVM runs an ordinary guest, else
 * QEMU; an explicit {@code firecracker} that the host cannot honour is an error saying why, never a
 * silent fallback. Pure and stateless.
 */
public final class VmmSelector {
    /**
     * What the host offers, as known when a VM is created.
     *
     * @param firecrackerPresent      the runtime bundle (or config) provides a Firecracker binary
     * @param kvmRunsOrdinaryGuests   doctor booted a real guest kernel under KVM (opening {@code /dev/kvm} is not enough)
     */
    public record HostFacts(boolean firecrackerPresent, boolean kvmRunsOrdinaryGuests) {
    }

    private VmmSelector() {
    }

    /**
     * The backend kind, {@link VmmKind#FIRECRACKER} or {@link VmmKind#QEMU}.
     *
     * @throws VmmException ({@code precondition-failed}) when Firecracker is configured but cannot run here
     */
    public static VmmKind select(VmmChoice choice, HostFacts facts) {
        return select(choice, facts, null);
    }

    /**
     * As {@link #select(VmmChoice, HostFacts)}, with why KVM cannot run a guest (the test boot's
     * evidence) added to the error, when known.
     *
     * @param kvmWhy why KVM cannot run an ordinary guest, or null
     */
    public static VmmKind select(VmmChoice choice, HostFacts facts, String kvmWhy) {
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(facts, "facts");
        boolean firecrackerCanRun = facts.firecrackerPresent() && facts.kvmRunsOrdinaryGuests();
        return switch (choice) {
            case QEMU -> VmmKind.QEMU;
            case AUTO -> firecrackerCanRun ? VmmKind.FIRECRACKER : VmmKind.QEMU;
            case FIRECRACKER -> {
                if (!firecrackerCanRun) {
                    throw new VmmException(ErrorKind.PRECONDITION_FAILED, "vmm = \"firecracker\" is configured, but "
                            + String.join(" and ", missing(facts, kvmWhy)) + "; set vmm = \"auto\" or \"qemu\" to use QEMU, "
                            + "and run `banger doctor` for details");
                }
                yield VmmKind.FIRECRACKER;
            }
        };
    }

    private static List<String> missing(HostFacts facts, String kvmWhy) {
        List<String> why = new ArrayList<>();
        if (!facts.firecrackerPresent()) {
            why.add("no firecracker binary was found (add one with `banger runtime bootstrap --firecracker <path>`)");
        }
        if (!facts.kvmRunsOrdinaryGuests()) {
            why.add("KVM cannot run an ordinary guest on this host (Firecracker needs working KVM"
                    + (facts.kvmRunsOrdinaryGuests() || kvmWhy == null || kvmWhy.isBlank() ? "" : "; " + kvmWhy) + ")");
        }
        return why;
    }
}
