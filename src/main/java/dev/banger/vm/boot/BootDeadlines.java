package dev.banger.vm.boot;

import dev.banger.vmm.Acceleration;
import java.time.Duration;
import java.util.function.Function;

/**
 * How long each boot wait may take: far longer under software emulation (QEMU TCG), where guests
 * booting at once share a few cores, than with KVM (docs/bench.md, docs/faults.md). A guest whose
 * VMM dies fails at once whatever the deadline. Immutable value.
 *
 * @param agent    VMM started → agent health
 * @param sshd     agent health → sshd accepting connections
 * @param services sshd → the image's declared services listening
 */
public record BootDeadlines(Duration agent, Duration sshd, Duration services) {
    /**
     * Sized for many guests booting at once on a small host under emulation, whose first-boot SSH
     * host keys wait for entropy (the load test's figures are in docs/faults.md).
     */
    static final BootDeadlines EMULATED = new BootDeadlines(Duration.ofMinutes(12), Duration.ofMinutes(10), Duration.ofMinutes(5));
    public static final BootDeadlines KVM = new BootDeadlines(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMinutes(2));

    /** {@link #KVM} for a machine running under KVM, else (emulated, or not recorded) {@link #EMULATED}. */
    public static BootDeadlines of(Acceleration acceleration) {
        return acceleration != null && acceleration.kvm() ? KVM : EMULATED;
    }

    /** The deadlines for each machine as it runs: {@link #of}. */
    public static final Function<Acceleration, BootDeadlines> BY_ACCELERATION = BootDeadlines::of;

    /** These deadlines whatever the acceleration (tests). */
    public static Function<Acceleration, BootDeadlines> always(BootDeadlines deadlines) {
        return ignored -> deadlines;
    }
}
