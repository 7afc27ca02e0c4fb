package dev.banger.vm.boot;

import dev.banger.vmm.Acceleration;
import java.time.Duration;
import java.util.function.Function;

/**
 * How long each boot wait may take. Under software emulation (QEMU TCG) a guest needs tens of
 * seconds to reach sshd alone, and minutes when several boot at once on a small host; with KVM
 * about a second. A guest whose VMM dies fails at once whatever the deadline. Immutable value.
 *
 * @param agent    VMM started → agent health
 * @param sshd     agent health → sshd accepting connections
 * @param services sshd → the image's declared services listening
 */
public record BootDeadlines(Duration agent, Duration sshd, Duration services) {
    /**
     * 16 guests booting at once on two cores shared with other work reached the agent after up to
     * 10 min; their first-boot SSH host keys then took 4 to over 10 min for want of entropy
     * (docs/faults.md), which a virtio-rng device should remove.
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
