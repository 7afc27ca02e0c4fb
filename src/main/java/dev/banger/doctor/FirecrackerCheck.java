package dev.banger.doctor;

import dev.banger.runtime.RuntimeArtifacts;
import dev.banger.runtime.RuntimeBundle;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostException;
import dev.banger.model.CheckResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a Firecracker binary is there, runs (its version is reported) and this host can run its
 * guests (the KVM verdict): {@code firecracker.binary} from the config, else the runtime bundle's,
 * else {@code firecracker} on PATH. Missing is a WARN (VMs run under QEMU) unless {@code vmm =
 * "firecracker"} is configured. Runs after the {@code kvm} check, whose verdict it reports. Safe for
 * concurrent use.
 */
public final class FirecrackerCheck extends ContextCheck {
    static final String NAME = "firecracker";


    FirecrackerCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }

    /**
     * The firecracker to use, if one can be found: {@code firecracker.binary}, else the runtime
     * bundle's, else one on PATH. The daemon starts the same one.
     */
    public static Optional<String> locate(DoctorContext ctx) {
        Optional<Path> configured = ctx.config().firecracker().binary();
        if (configured.isPresent()) {
            return Files.isExecutable(configured.get()) ? Optional.of(configured.get().toString()) : Optional.empty();
        }
        Optional<Path> bundled;
        try {
            bundled = ctx.config().runtime().bundle().map(RuntimeBundle::at).orElseGet(RuntimeBundle::locate)
                    .find(RuntimeArtifacts.FIRECRACKER).filter(Files::isExecutable);
        } catch (RuntimeException noBundle) {
            bundled = Optional.empty();
        }
        if (bundled.isPresent()) {
            return Optional.of(bundled.get().toString());
        }
        return ctx.host().available("firecracker") ? Optional.of("firecracker") : Optional.empty();
    }


    /** Its verdict on KVM is the kvm check's, so it waits for that check to finish. */
    @Override
    public Set<String> dependsOn() {
        return Set.of(KvmCheck.NAME);
    }

    @Override
    public CheckResult run() {
        Optional<Path> configured = ctx.config().firecracker().binary();
        Optional<String> binary = locate(ctx);
        if (binary.isEmpty()) {
            String what = configured
                    .map(p -> "firecracker.binary = \"" + p + "\" is not an executable file")
                    .orElse("firecracker is not on PATH (and firecracker.binary is not set)");
            String fix = configured.isPresent()
                    ? "fix firecracker.binary in the config, or set it to \"\" to use the runtime bundle's"
                    : "run `banger runtime bootstrap` (the runtime bundle ships firecracker) or install it and set firecracker.binary";
            return missing(what, fix);
        }
        CommandResult result;
        try {
            result = ctx.host().exec(Command.of(binary.get(), "--version").withTimeout(Duration.ofSeconds(10)));
        } catch (HostException e) {
            return missing("firecracker does not run: " + e.getMessage(), "reinstall firecracker");
        }
        if (!result.succeeded()) {
            return missing("`" + binary.get() + " --version` exited with status " + result.exitCode() + ": "
                    + KvmCheck.firstLine(result), "reinstall firecracker (it must be a static x86_64 build)");
        }
        String version = KvmCheck.firstLine(result) + " (" + binary.get() + ")";
        // Run after the kvm check (dependsOn), so its verdict of this very run is already recorded.
        Optional<KvmVerdict> kvm = ctx.kvm().proven();
        if (kvm.isEmpty()) {
            return CheckResult.warn(NAME, version + "; whether this host's KVM can run its guests is not known yet",
                    "see the kvm check (it boots a test guest under KVM once)");
        }
        if (!kvm.get().usable()) {
            return missing(version + " is installed, but this host's KVM cannot run an ordinary guest ("
                    + kvm.get().evidence() + ")", "use a host whose KVM runs ordinary guests");
        }
        return CheckResult.ok(NAME, version + "; KVM runs ordinary guests, so new VMs can use it");
    }

    private CheckResult missing(String what, String fix) {
        if (ctx.firecrackerRequired()) {
            return CheckResult.fail(NAME, what + "; vmm = \"firecracker\" is configured", fix);
        }
        return CheckResult.warn(NAME, what + "; VMs run under QEMU instead", fix);
    }
}
