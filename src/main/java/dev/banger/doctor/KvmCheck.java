package dev.banger.doctor;

import dev.banger.host.CommandResult;
import dev.banger.host.HostException;
import dev.banger.model.CheckResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether {@code /dev/kvm} can run an ordinary guest. Opening the device proves little (a
 * {@code kvm_pvm} host opens it and then fails or hangs real kernels), so when QEMU and a guest
 * kernel are at hand the check boots the kernel under KVM and reads the serial console; the
 * verdict is cached and shared through {@link KvmVerdicts} with whatever else asks. Missing or unusable KVM is a WARN, since QEMU falls back to TCG, unless
 * {@code vmm = "firecracker"} is configured. Safe for concurrent use.
 */
public final class KvmCheck extends ContextCheck {
    static final String NAME = "kvm";

    KvmCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }

    @Override
    public Optional<String> needsRoot() {
        return Optional.of("it boots a test guest under /dev/kvm as bangerd would, and keeps the verdict in "
                + ctx.paths().cacheDir().resolve("doctor"));
    }

    @Override
    public CheckResult run() {
        Path device = ctx.hostPath("/dev/kvm");
        if (!Files.exists(device)) {
            return unusable("/dev/kvm does not exist",
                    "enable hardware virtualization (VT-x/AMD-V) in the firmware and load kvm_intel or kvm_amd "
                            + "(modprobe kvm_intel); inside a VM, enable nested virtualization");
        }
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            return unusable("/dev/kvm exists but this user cannot open it read-write",
                    "run bangerd as root, or add this user to the group owning /dev/kvm");
        }
        Optional<Path> kernel;
        try {
            kernel = ctx.guestKernel().get().filter(Files::isRegularFile);
        } catch (RuntimeException e) {
            kernel = Optional.empty();
        }
        if (kernel.isEmpty()) {
            return CheckResult.warn(NAME, "/dev/kvm is present, but whether it runs an ordinary guest is unproven: "
                            + "there is no guest kernel to test it with" + pvmNote(),
                    "run `banger runtime bootstrap` to fetch the runtime bundle's guest kernel, then `banger doctor` again");
        }
        String qemu = ctx.config().qemu().binary();
        if (!ctx.host().available(qemu)) {
            return CheckResult.warn(NAME, "/dev/kvm is present, but whether it runs an ordinary guest is unproven: "
                            + qemu + " is not installed to test it with" + pvmNote(),
                    "apt-get install qemu-system-x86, then run `banger doctor` again");
        }
        KvmVerdicts verdicts = ctx.kvm();
        String key;
        try {
            key = verdicts.key(kernel.get());
        } catch (HostException e) {
            return CheckResult.warn(NAME, "cannot test KVM: " + e.getMessage(), "check that " + qemu + " runs");
        }
        // The owner is shared with the daemon's backend choice: a test boot this check records is
        // what the next create uses, and one a create is running is waited for, not repeated.
        Optional<KvmVerdict> cached = verdicts.cached(key);
        KvmVerdict verdict;
        if (cached.isPresent()) {
            verdict = cached.get();
        } else {
            try {
                verdict = verdicts.prove(kernel.get(), key);
            } catch (HostException e) {
                return CheckResult.warn(NAME, "could not run the KVM test boot: " + e.getMessage(),
                        "check that `" + verdicts.probeCommand(kernel.get()).display() + "` can run, then `banger doctor` again");
            }
        }
        String source = cached.isPresent()
                ? " (cached in " + verdicts.cacheFile(key) + "; delete it to test again; earlier test boot of "
                : " (test boot of ";
        if (verdict.usable()) {
            return CheckResult.ok(NAME, "KVM runs an ordinary guest: " + verdict.evidence() + source + kernel.get() + ")");
        }
        return unusable("KVM cannot run an ordinary guest: " + verdict.evidence() + source + kernel.get() + ")" + pvmNote(),
                "use a host whose KVM runs ordinary guests (bare metal, or a VM with nested virtualization)");
    }

    private CheckResult unusable(String what, String fixKvm) {
        if (ctx.firecrackerRequired()) {
            return CheckResult.fail(NAME, what + "; vmm = \"firecracker\" is configured and Firecracker needs KVM",
                    fixKvm + "; or set vmm = \"qemu\" (or \"auto\") in the config to run guests under QEMU without KVM");
        }
        return CheckResult.warn(NAME, what + "; banger falls back to QEMU with TCG emulation, which works but is several times slower",
                fixKvm + " to get KVM speed and Firecracker");
    }

    private String pvmNote() {
        return Files.exists(ctx.hostPath("/sys/module/kvm_pvm"))
                ? " (the loaded KVM module is kvm_pvm, which runs only PVM-enabled guest kernels)"
                : "";
    }

    static String firstLine(CommandResult result) {
        String out = result.stdout().isBlank() ? result.stderr() : result.stdout();
        return out.strip().lines().findFirst().orElse("").strip();
    }
}
