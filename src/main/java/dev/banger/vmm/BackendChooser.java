package dev.banger.vmm;

import dev.banger.config.VmmChoice;
import dev.banger.model.ErrorKind;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the backend for each new VM at the moment it is created: the configured {@code vmm}
 * through {@link VmmSelector}, with the KVM answer the {@link AccelerationSource} gives now (so a
 * verdict reached after the daemon started counts at once, and an unknown one is found out at the
 * first create rather than taken as "cannot"). Safe for concurrent use when the source is.
 */
public interface BackendChooser {
    /**
     * The backend and acceleration for a VM created now.
     *
     * @throws VmmException ({@code precondition-failed}) when no backend can run new VMs, saying why
     */
    BackendChoice choose();

    /**
     * The choice as far as it is known without a KVM test boot: empty when only a test boot can
     * tell, or when no backend can run new VMs. Never waits.
     */
    Optional<BackendChoice> known();

    /** The host's choice: {@code choice} from the config, a Firecracker binary or not, KVM as {@code kvm} says. */
    static BackendChooser forHost(VmmChoice choice, boolean firecrackerPresent, AccelerationSource kvm) {
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(kvm, "kvm");
        return new BackendChooser() {
            @Override
            public BackendChoice choose() {
                // Asked even for vmm = "qemu": QEMU's acceleration depends on it, and the create reports it.
                return decide(kvm.current());
            }

            @Override
            public Optional<BackendChoice> known() {
                try {
                    return kvm.known().map(this::decide);
                } catch (VmmException noBackend) {
                    return Optional.empty();
                }
            }

            private BackendChoice decide(Acceleration acceleration) {
                VmmKind backend = VmmSelector.select(choice, new VmmSelector.HostFacts(firecrackerPresent, acceleration.kvm()),
                        acceleration.reason());
                return new BackendChoice(backend.wireName(), acceleration);
            }
        };
    }

    /**
     * Always {@code backend} under {@code acceleration}, or, with {@code backend} null, the error
     * {@code whyNone}: a daemon whose backend is decided elsewhere (tests).
     */
    static BackendChooser fixed(String backend, String whyNone, Acceleration acceleration) {
        Optional<BackendChoice> fixed = Optional.ofNullable(backend).map(name -> new BackendChoice(name, acceleration));
        return new BackendChooser() {
            @Override
            public BackendChoice choose() {
                return fixed.orElseThrow(() -> new VmmException(ErrorKind.PRECONDITION_FAILED, whyNone));
            }

            @Override
            public Optional<BackendChoice> known() {
                return fixed;
            }
        };
    }
}
