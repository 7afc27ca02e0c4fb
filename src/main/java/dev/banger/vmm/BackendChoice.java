package dev.banger.vmm;

import java.util.Objects;

/**
 * The backend a new VM gets and the acceleration it will run with, decided together from one KVM
 * answer. Immutable value.
 *
 * @param backend      {@link Vmm#name()} of the backend
 * @param acceleration KVM or emulation, and why
 */
public record BackendChoice(String backend, Acceleration acceleration) {
    public BackendChoice {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(acceleration, "acceleration");
    }

    /** E.g. {@code qemu (kvm)} or {@code qemu (tcg: KVM cannot run a guest here: ...)}. */
    public String describe() {
        return acceleration.describe(backend);
    }
}
