package dev.banger.doctor;

import java.util.Objects;

/**
 * Whether KVM ran an ordinary guest kernel, and the line of evidence for it (the kernel line it
 * reached, or the error or hang that stopped it). Immutable.
 */
public record KvmVerdict(boolean usable, String evidence) {
    public KvmVerdict {
        Objects.requireNonNull(evidence, "evidence");
    }
}
