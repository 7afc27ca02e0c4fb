package dev.banger.cli;

import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import dev.banger.model.DoctorReport;
import dev.banger.rpc.RpcClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code banger doctor}: the daemon's readiness checks; exits non-zero when one fails. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check whether this host can run banger, and say what to fix.")
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        DoctorReport report;
        try (RpcClient client = DaemonConnector.fromEnvironment().connectOrStart()) {
            report = client.call("doctor.run", null, DoctorReport.class, Duration.ofMinutes(2));
        }
        if (output.json) {
            new Printer(spec.commandLine().getOut()).json(report);
        } else {
            render(report, spec.commandLine().getOut());
        }
        return report.hasFailures() ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    static void render(DoctorReport report, PrintWriter out) {
        int width = report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (CheckResult check : report.checks()) {
            String label = switch (check.status()) {
                case OK -> "ok  ";
                case WARN -> "warn";
                case FAIL -> "FAIL";
            };
            out.println(label + "  " + check.name() + " ".repeat(width - check.name().length()) + "  " + check.detail());
            if (check.status() != CheckStatus.OK && !check.remedy().isBlank()) {
                out.println("      " + " ".repeat(width) + "  → " + check.remedy());
            }
        }
        long failed = report.checks().stream().filter(c -> c.status() == CheckStatus.FAIL).count();
        long warned = report.checks().stream().filter(c -> c.status() == CheckStatus.WARN).count();
        out.println();
        out.println(failed == 0
                ? "ready" + (warned == 0 ? "" : " (" + warned + " warning" + (warned == 1 ? "" : "s") + ")")
                : failed + " check" + (failed == 1 ? "" : "s") + " failed");
        out.flush();
    }
}
