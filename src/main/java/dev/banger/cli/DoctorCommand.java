package dev.banger.cli;

import dev.banger.config.BangerPaths;
import dev.banger.daemon.DoctorSetup;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import dev.banger.model.DoctorReport;
import dev.banger.rpc.DaemonUnavailableException;
import dev.banger.rpc.RpcClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code banger doctor}: the daemon's readiness checks; exits non-zero when one fails. It asks a
 * running daemon ({@code doctor.run}) but never starts one: when none answers, the same checks run
 * in this process ({@link DoctorSetup#runWithoutDaemon}), so it can say why bangerd does not
 * start, and a line says so. Run by a user other than root, the checks that need root are
 * reported as not run.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check whether this host can run banger, and say what to fix.")
final class DoctorCommand implements Callable<Integer> {
    private static final int LABEL_WIDTH = 4;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        BangerPaths paths = BangerPaths.fromEnvironment();
        RpcClient daemon;
        try {
            daemon = RpcClient.connect(paths.socket());
        } catch (DaemonUnavailableException noDaemon) {
            boolean root = DaemonLauncher.isRoot();
            DoctorReport report = DoctorSetup.runWithoutDaemon(paths, new ProcessHostCommands(), root);
            return print(report, Optional.of(withoutDaemonNote(noDaemon.getMessage(), root)));
        }
        try (daemon) {
            return print(daemon.call("doctor.run", null, DoctorReport.class, Duration.ofMinutes(2)), Optional.empty());
        }
    }

    private int print(DoctorReport report, Optional<String> note) {
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            // stdout stays one JSON document, the daemon's shape; the note goes to stderr.
            note.ifPresent(line -> {
                spec.commandLine().getErr().println(line);
                spec.commandLine().getErr().flush();
            });
            new Printer(out).json(report);
        } else {
            note.ifPresent(line -> {
                out.println(line);
                out.println();
            });
            render(report, out);
        }
        return report.hasFailures() ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /** The line that says the report did not come from bangerd, and why not. */
    static String withoutDaemonNote(String unreachable, boolean root) {
        return unreachable + " — so the checks ran in this process instead"
                + (root ? "" : ", as a user other than root: those that need root were not run");
    }

    static void render(DoctorReport report, PrintWriter out) {
        int width = report.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (CheckResult check : report.checks()) {
            // The wire word, a failure in capitals so it stands out; padded to the widest.
            String word = check.status().wireName();
            String label = check.status() == CheckStatus.FAIL ? word.toUpperCase(Locale.ROOT) : word;
            out.println(label + " ".repeat(LABEL_WIDTH - label.length()) + "  " + check.name()
                    + " ".repeat(width - check.name().length()) + "  " + check.detail());
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
