package dev.banger.doctor;

import dev.banger.model.CheckResult;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether device-mapper snapshots, the fastest root-disk clone strategy, are available:
 * {@code /dev/mapper/control} and {@code dmsetup}. Their absence is a WARN, since the other clone
 * strategies take over. Safe for concurrent use.
 */
final class DeviceMapperCheck extends ContextCheck {
    static final String NAME = "device-mapper";

    DeviceMapperCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }

    @Override
    public CheckResult run() {
        List<String> missing = new ArrayList<>();
        if (!Files.exists(ctx.hostPath("/dev/mapper/control"))) {
            missing.add("/dev/mapper/control");
        }
        if (!ctx.host().available("dmsetup")) {
            missing.add("dmsetup");
        }
        if (missing.isEmpty()) {
            return CheckResult.ok(NAME, "device-mapper snapshots are available for root disks");
        }
        return CheckResult.warn(NAME, String.join(" and ", missing) + (missing.size() > 1 ? " are" : " is")
                        + " missing, so root disks fall back to reflink copies, qcow2 overlays (QEMU) or sparse copies",
                "for instant copy-on-write root disks: modprobe dm_snapshot"
                        + (missing.contains("dmsetup") ? " and apt-get install dmsetup" : ""));
    }
}
