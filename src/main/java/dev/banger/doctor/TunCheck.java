package dev.banger.doctor;

import dev.banger.model.CheckResult;
import java.nio.file.Files;

/** Whether {@code /dev/net/tun} exists, without which no VM gets a network. Safe for concurrent use. */
final class TunCheck implements Check {
    static final String NAME = "tun";

    private final DoctorContext ctx;

    TunCheck(DoctorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return NAME;
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
