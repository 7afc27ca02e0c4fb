package dev.banger.vm.boot;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The stages of a create, in pipeline order. The order is the rollback's: undos run latest stage
 * first, whichever of the side-by-side stages (root disk, work disk, network) ended first. The
 * wire names are what operations store and the CLI prints, so they never change.
 */
public enum CreateStage {
    VALIDATE,
    ALLOCATE,
    ROOT_DISK,
    WORK_DISK,
    NETWORK,
    CAPABILITIES,
    /** A golden snapshot loaded instead of a boot ({@code vmm-start} and {@code boot} are then skipped). */
    RESTORE,
    /** The restored guest given this VM's identity over the agent channel. */
    IDENTITY,
    VMM_START,
    BOOT,
    SSHD,
    SERVICES,
    /** The VM's shared host directories mounted in the guest (nothing to do for a VM without shares). */
    SHARES;

    private static final List<String> WIRE_NAMES = Arrays.stream(values()).map(CreateStage::wireName).toList();

    /** The stored name: lower case, hyphenated ({@code root-disk}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every stage's wire name, in pipeline order. */
    public static List<String> wireNames() {
        return WIRE_NAMES;
    }
}
