package dev.banger.doctor;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostException;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether {@code /dev/kvm} can run an ordinary guest. Opening the device proves little (a
 * {@code kvm_pvm} host opens it and then fails or hangs real kernels), so when QEMU and a guest
 * kernel are at hand the check boots the kernel under KVM and reads the serial console; the
 * verdict is cached. Missing or unusable KVM is a WARN, since QEMU falls back to TCG, unless
 * {@code vmm = "firecracker"} is configured. Safe for concurrent use.
 */
public final class KvmCheck extends ContextCheck {
    static final String NAME = "kvm";
    static final Duration PROBE_LIMIT = Duration.ofSeconds(15);

    private final Duration probeLimit;
    private final KvmVerdictCache cache;

    KvmCheck(DoctorContext ctx) {
        this(ctx, PROBE_LIMIT);
    }

    KvmCheck(DoctorContext ctx, Duration probeLimit) {
        super(NAME, ctx);
        this.probeLimit = probeLimit;
        this.cache = new KvmVerdictCache(ctx.paths().cacheDir().resolve("doctor"));
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
        String qemuVersion;
        try {
            qemuVersion = firstLine(ctx.host().run(Command.of(qemu, "--version").withTimeout(Duration.ofSeconds(10))));
        } catch (HostException e) {
            return CheckResult.warn(NAME, "cannot test KVM: " + e.getMessage(), "check that " + qemu + " runs");
        }
        String key = KvmVerdictCache.key(ctx.hostKernelRelease(), qemuVersion, kernel.get());
        Optional<KvmVerdict> cached = cache.find(key);
        KvmVerdict verdict;
        if (cached.isPresent()) {
            verdict = cached.get();
        } else {
            Command probe = Command.of(KvmProbe.command(qemu, kernel.get(), probeLimit))
                    .withTimeout(probeLimit.plusSeconds(15));
            CommandResult result;
            try {
                result = ctx.host().exec(probe);
            } catch (HostException e) {
                return CheckResult.warn(NAME, "could not run the KVM test boot: " + e.getMessage(),
                        "check that `" + probe.display() + "` can run, then `banger doctor` again");
            }
            verdict = KvmProbe.judge(result.stdout() + "\n" + result.stderr(), result.exitCode(), probeLimit);
            cache.store(key, verdict);
        }
        String source = cached.isPresent()
                ? " (cached in " + cache.fileFor(key) + "; delete it to test again; earlier test boot of "
                : " (test boot of ";
        if (verdict.usable()) {
            return CheckResult.ok(NAME, "KVM runs an ordinary guest: " + verdict.evidence() + source + kernel.get() + ")");
        }
        return unusable("KVM cannot run an ordinary guest: " + verdict.evidence() + source + kernel.get() + ")" + pvmNote(),
                "use a host whose KVM runs ordinary guests (bare metal, or a VM with nested virtualization)");
    }

    /**
     * Whether a cached verdict says KVM runs an ordinary guest, without booting anything: empty
     * when no test boot has been recorded for this host kernel, QEMU and guest kernel yet (run
     * {@code banger doctor} to make one).
     */
    public static Optional<Boolean> cachedUsable(DoctorContext ctx) {
        try {
            Optional<Path> kernel = ctx.guestKernel().get().filter(Files::isRegularFile);
            String qemu = ctx.config().qemu().binary();
            if (kernel.isEmpty()) {
                return Optional.empty();
            }
            if (!Files.exists(ctx.hostPath("/dev/kvm")) || !ctx.host().available(qemu)) {
                return Optional.of(false);
            }
            String qemuVersion = firstLine(ctx.host().run(Command.of(qemu, "--version").withTimeout(Duration.ofSeconds(10))));
            String key = KvmVerdictCache.key(ctx.hostKernelRelease(), qemuVersion, kernel.get());
            return new KvmVerdictCache(ctx.paths().cacheDir().resolve("doctor")).find(key).map(KvmVerdict::usable);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Runs the check (a test boot when nothing is cached) and says whether KVM runs an ordinary guest. */
    public static boolean probeUsable(DoctorContext ctx) {
        return new KvmCheck(ctx).run().status() == dev.banger.model.CheckStatus.OK;
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
