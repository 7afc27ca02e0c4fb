package dev.banger.doctor;

import dev.banger.config.BangerConfig;
import dev.banger.model.CheckResult;
import dev.banger.runtime.BundleLocator;
import dev.banger.runtime.BundleStatusReport;
import dev.banger.runtime.DiscoveryContext;
import dev.banger.runtime.RuntimeBundleException;

/**
 * Doctor check {@code runtime-bundle}: is there a runtime bundle where banger looks, and does every
 * artifact still match the sum recorded when it was staged? OK names the location; a missing or
 * mismatched artifact fails with the command that fixes it; Firecracker alone missing only warns
 * (QEMU runs without it). Thread-safe: it only reads the file system.
 */
public final class RuntimeBundleCheck implements Check {
    public static final String NAME = "runtime-bundle";
    private final DiscoveryContext discovery;

    public RuntimeBundleCheck(DiscoveryContext discovery) {
        this.discovery = discovery;
    }

    /**
     * The check for this process under {@code config}: its {@code [runtime] bundle} when set (the
     * bundle the daemon then uses), else discovery from the environment, launcher directory and
     * current directory.
     */
    public static RuntimeBundleCheck forConfig(BangerConfig config) {
        return new RuntimeBundleCheck(DiscoveryContext.fromSystem().withConfiguredBundle(config.runtime().bundle()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CheckResult run() {
        BundleStatusReport report;
        try {
            report = BundleStatusReport.inspect(discovery);
        } catch (RuntimeBundleException e) {
            return CheckResult.fail(NAME, e.getMessage(), "run " + BundleLocator.fixHint(discovery));
        } catch (RuntimeException e) {
            return CheckResult.fail(NAME, "cannot inspect the runtime bundle: " + e, "rerun with BANGER_DEBUG=1");
        }
        String where = report.location().root() + " (" + report.location().origin().description() + ")";
        String warning = report.location().warning().isEmpty() ? "" : "; " + report.location().warning();
        if (!report.healthy()) {
            return CheckResult.fail(NAME, "runtime bundle at " + where + ": " + report.describeProblems() + warning,
                    report.remedy());
        }
        if (report.firecrackerMissing()) {
            return CheckResult.warn(NAME, "runtime bundle at " + where + " has no firecracker" + warning,
                    BundleStatusReport.firecrackerRemedy());
        }
        if (!warning.isEmpty()) {
            return CheckResult.warn(NAME, "runtime bundle at " + where + warning,
                    "move it out of ./runtime with `banger runtime package` and `banger runtime install --from <tarball>`");
        }
        return CheckResult.ok(NAME, "runtime bundle at " + where + ", " + report.artifacts().size()
                + " artifacts verified");
    }
}
