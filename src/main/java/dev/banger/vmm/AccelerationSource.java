package dev.banger.vmm;

import java.util.Objects;
import java.util.Optional;

/**
 * Where backends and the create pipeline learn whether KVM can run the next machine. Asked on
 * every decision rather than once at start, so a verdict reached later (doctor's test boot, or the
 * first create's) is used at once. An implementation may find out the first time it is asked (a
 * bounded test boot, run once however many callers wait) and must answer later calls cheaply,
 * without starting a process. Implementations must be safe for concurrent use.
 */
public interface AccelerationSource {
    /** What KVM can do for a machine started now, finding it out if need be; never null. */
    Acceleration current();

    /** What is known without finding anything out (no test boot); empty when only a test boot can tell. */
    Optional<Acceleration> known();

    /** Always {@code acceleration}: tests, and backends whose host fact is fixed. */
    static AccelerationSource fixed(Acceleration acceleration) {
        Objects.requireNonNull(acceleration, "acceleration");
        return new AccelerationSource() {
            @Override
            public Acceleration current() {
                return acceleration;
            }

            @Override
            public Optional<Acceleration> known() {
                return Optional.of(acceleration);
            }
        };
    }
}
