package dev.banger.daemon;

import dev.banger.doctor.KvmVerdict;
import dev.banger.doctor.KvmVerdicts;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.AccelerationSource;
import java.util.Objects;
import java.util.Optional;

/**
 * The daemon's {@link AccelerationSource}: doctor's {@link KvmVerdicts}, the same owner the
 * {@code kvm} check records into, read through on every question, so a verdict from a doctor run
 * (in the daemon or in a CLI process) or from the first create's test boot counts at once.
 * Lives here because only the daemon sees both {@code doctor} and {@code vmm}. Safe for
 * concurrent use.
 */
final class KvmAcceleration implements AccelerationSource {
    private final KvmVerdicts verdicts;

    KvmAcceleration(KvmVerdicts verdicts) {
        this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
    }

    @Override
    public Acceleration current() {
        return of(verdicts.verdict());
    }

    @Override
    public Optional<Acceleration> known() {
        return verdicts.known().map(KvmAcceleration::of);
    }

    static Acceleration of(KvmVerdict verdict) {
        return verdict.usable() ? Acceleration.kvm(verdict.evidence()) : Acceleration.emulated(verdict.evidence());
    }
}
