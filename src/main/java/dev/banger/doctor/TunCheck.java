package dev.banger.doctor;

import dev.banger.model.CheckResult;
import java.nio.file.Files;

/** Whether {@code /dev/net/tun} exists, without which no VM gets a network. Safe for concurrent use. */
final class TunCheck extends ContextCheck {
    static final String NAME = "tun";

    TunCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }

    @Override
    public CheckResult run() {
        if (Files.exists(ctx.hostPath("/dev/net/tun"))) {
            return CheckResult.ok(NAME, "/dev/net/tun is present");
        }
        return CheckResult.fail(NAME, "/dev/net/tun is missing, so VMs cannot get TAP network devices",
                "modprobe tun (and add tun to /etc/modules to keep it across reboots)");
    }
}
