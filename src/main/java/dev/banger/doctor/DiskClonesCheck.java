package dev.banger.doctor;

import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.CloneStrategyChooser;
import dev.banger.host.disk.DiskRole;
import dev.banger.host.disk.HostDiskFacts;
import dev.banger.model.CheckResult;
import java.util.Locale;
import java.util.Optional;

/**
 * How VM disks will be cloned on this host, per backend: the same probe and choice the create
 * pipeline makes (device-mapper, reflink in the state dir, qcow2 for QEMU). A full sparse copy of
 * the root disk, the slow last resort, is a WARN. Safe for concurrent use.
 */
final class DiskClonesCheck extends ContextCheck {
    static final String NAME = "disk-clones";

    DiskClonesCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }

    @Override
    public Optional<String> needsRoot() {
        return Optional.of("it probes the file system of the state directory " + ctx.paths().stateDir());
    }

    @Override
    public CheckResult run() {
        HostDiskFacts facts;
        try {
            StateDirectory.ensure(ctx.paths().stateDir());
            facts = HostDiskFacts.probe(ctx.host(), ctx.paths().stateDir());
        } catch (java.io.IOException | RuntimeException e) {
            return CheckResult.warn(NAME, "cannot probe how disks can be cloned: " + e.getMessage(), "check the state directory");
        }
        CloneStrategy qemuRoot = CloneStrategyChooser.choose(facts.withQcow2Backend(true), DiskRole.ROOT);
        CloneStrategy firecrackerRoot = CloneStrategyChooser.choose(facts.withQcow2Backend(false), DiskRole.ROOT);
        CloneStrategy work = CloneStrategyChooser.choose(facts.withQcow2Backend(false), DiskRole.WORK);
        String detail = "root disks: " + id(qemuRoot) + " (QEMU), " + id(firecrackerRoot) + " (Firecracker); work disks: "
                + id(work) + " of the image's work seed";
        if (firecrackerRoot == CloneStrategy.SPARSE_COPY) {
            return CheckResult.warn(NAME, detail, "Firecracker root disks are full copies here: load device-mapper"
                    + " (modprobe dm_snapshot) or put the state dir on XFS or btrfs for reflinks");
        }
        return CheckResult.ok(NAME, detail);
    }

    private static String id(CloneStrategy strategy) {
        return strategy.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
