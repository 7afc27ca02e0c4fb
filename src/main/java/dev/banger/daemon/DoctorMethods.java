package dev.banger.daemon;

import dev.banger.doctor.Check;
import dev.banger.doctor.ConfigCheck;
import dev.banger.doctor.DefaultImageProbe;
import dev.banger.doctor.Doctor;
import dev.banger.doctor.DoctorContext;
import dev.banger.model.DoctorReport;
import dev.banger.rpc.RpcMethod;
import java.util.List;
import java.util.Set;

/**
 * {@code doctor.run}: every readiness check ({@link DoctorSetup#doctor}), run by the daemon as root
 * so that what it finds is what VM operations will meet. Thread-safe.
 */
final class DoctorMethods {
    private static final Set<String> PREFLIGHT = Set.of("state-dir", "free-disk", "tun", "e2fsprogs", "qemu", "firewall");

    private final DoctorContext context;
    private final Doctor doctor;

    DoctorMethods(DoctorContext context, ConfigCheck config, DefaultImageProbe defaultImage) {
        this.context = context;
        this.doctor = DoctorSetup.doctor(context, config, defaultImage);
    }

    DoctorContext context() {
        return context;
    }

    List<RpcMethod<?, ?>> methods() {
        return List.of(RpcMethod.withoutParams("doctor.run", caller -> run()));
    }

    /** The names {@code doctor.run} reports, in order. */
    List<String> checkNames() {
        return doctor.checkNames();
    }

    DoctorReport run() {
        return doctor.run();
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
