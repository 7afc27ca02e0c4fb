package dev.banger.vmm;

import java.util.Objects;

/**
 * How a machine's guest code runs: under KVM, or emulated (QEMU's TCG) because KVM cannot run an
 * ordinary guest on this host, with the reason either way (the test boot's evidence, or what is
 * missing). Recorded with every started machine so that a create says what it got and why, never
 * falling back to emulation silently. Immutable value.
 *
 * @param kvm    whether the guest runs under KVM
 * @param reason why: what proved KVM, or why it cannot be used
 */
public record Acceleration(boolean kvm, String reason) {
    public Acceleration {
        Objects.requireNonNull(reason, "reason");
    }

    /** KVM, proven by {@code evidence}. */
    public static Acceleration kvm(String evidence) {
        return new Acceleration(true, evidence);
    }

    /** Emulation, because KVM cannot run a guest here for {@code why}. */
    public static Acceleration emulated(String why) {
        return new Acceleration(false, why);
    }

    /** One short phrase for users: {@code kvm}, or {@code tcg: KVM cannot run a guest here: <reason>}. */
    public String summary() {
        return kvm ? "kvm" : "tcg: KVM cannot run a guest here: " + reason;
    }

    /** {@code backend (summary)}, e.g. {@code qemu (kvm)}: what a create reports. */
    public String describe(String backend) {
        return backend + " (" + summary() + ")";
    }
}
