package dev.banger.doctor;

import dev.banger.config.VmmChoice;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostException;
import dev.banger.model.CheckResult;
import java.time.Duration;

/**
 * Whether the QEMU system emulator ({@code qemu.binary}) is there and runs, and whether
 * {@code qemu-img} is there for qcow2-overlay root disks. Missing QEMU fails when it is the only
 * VMM left ({@code vmm = "qemu"}, or {@code auto} without Firecracker). Safe for concurrent use.
 */
final class QemuCheck extends ContextCheck {
    static final String NAME = "qemu";

    QemuCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }

    @Override
    public CheckResult run() {
        String binary = ctx.config().qemu().binary();
        VmmChoice vmm = ctx.config().vmm();
        boolean needed = vmm == VmmChoice.QEMU
                || (vmm == VmmChoice.AUTO && FirecrackerCheck.locate(ctx).isEmpty());
        String fix = binary.contains("/") ? "fix qemu.binary in the config, or apt-get install qemu-system-x86"
                : "apt-get install qemu-system-x86";
        if (!ctx.host().available(binary)) {
            String what = binary + " is not installed";
            if (needed) {
                return CheckResult.fail(NAME, what + (vmm == VmmChoice.QEMU ? "; vmm = \"qemu\" is configured"
                        : "; with no firecracker either, no VM can start"), fix);
            }
            return CheckResult.warn(NAME, what + "; only Firecracker can run VMs", fix);
        }
        CommandResult result;
        try {
            result = ctx.host().exec(Command.of(binary, "--version").withTimeout(Duration.ofSeconds(10)));
        } catch (HostException e) {
            return CheckResult.fail(NAME, binary + " does not run: " + e.getMessage(), fix);
        }
        if (!result.succeeded()) {
            return CheckResult.fail(NAME, "`" + binary + " --version` exited with status " + result.exitCode()
                    + ": " + KvmCheck.firstLine(result), fix);
        }
        String version = KvmCheck.firstLine(result);
        if (!ctx.host().available("qemu-img")) {
            return CheckResult.warn(NAME, version + ", but qemu-img is missing, so qcow2-overlay root disks are unavailable",
                    "apt-get install qemu-utils");
        }
        return CheckResult.ok(NAME, version);
    }
}
