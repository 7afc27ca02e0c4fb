package dev.banger.daemon;

import dev.banger.doctor.Check;
import dev.banger.doctor.Doctor;
import dev.banger.doctor.DoctorContext;
import dev.banger.doctor.RuntimeBundleCheck;
import dev.banger.model.DoctorReport;
import dev.banger.rpc.RpcMethod;
import dev.banger.runtime.RuntimeBundle;
import dev.banger.runtime.RuntimeBundleException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code doctor.run}: every readiness check, run by the daemon as root so that what it finds is
 * what VM operations will meet. Thread-safe.
 */
final class DoctorMethods {
    private static final Set<String> PREFLIGHT = Set.of("state-dir", "free-disk", "tun", "e2fsprogs", "qemu", "firewall");

    private final DoctorContext context;

    DoctorMethods(DoctorContext context) {
        this.context = context;
    }

    /** The guest kernel the KVM check boots: the runtime bundle's bzImage, when there is a bundle. */
    static Optional<Path> bundleKernel() {
        try {
            return RuntimeBundle.locate().find("kernel-bzimage");
        } catch (RuntimeBundleException e) {
            return Optional.empty();
        }
    }

    DoctorContext context() {
        return context;
    }

    List<RpcMethod<?, ?>> methods() {
        return List.of(RpcMethod.withoutParams("doctor.run", caller -> run()));
    }

    DoctorReport run() {
        return Doctor.standard(context).with(RuntimeBundleCheck.forThisProcess()).run();
    }

    /**
     * The daemon's start-up preflight: the quick checks from the same set (no guest boot), whose
     * warnings and failures go to the log so an operator sees them without running doctor.
     */
    DoctorReport preflight() {
        List<Check> quick = Doctor.standardChecks(context).stream()
                .filter(check -> PREFLIGHT.contains(check.name()))
                .toList();
        return new Doctor(quick).run();
    }
}
