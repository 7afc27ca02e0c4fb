package dev.banger.vm;

import java.time.Duration;

/**
 * How long each boot wait may take. Under software emulation (QEMU TCG) a guest needs tens of
 * seconds to reach sshd; with KVM about a second. Immutable value.
 *
 * @param agent    VMM started → agent health
 * @param sshd     agent health → sshd accepting connections
 * @param services sshd → the image's declared services listening
 */
public record BootDeadlines(Duration agent, Duration sshd, Duration services) {
    public static final BootDeadlines EMULATED = new BootDeadlines(Duration.ofMinutes(4), Duration.ofMinutes(2), Duration.ofMinutes(3));
    public static final BootDeadlines KVM = new BootDeadlines(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMinutes(2));
}
