package dev.banger.cli;

import dev.banger.runtime.ArtifactStatus;
import dev.banger.runtime.BundleLocation;
import dev.banger.runtime.BundleStatusReport;
import dev.banger.runtime.DiscoveryContext;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code banger runtime status}: where the bundle is and whether each artifact's sum still matches
 * its manifest. Exits {@link ExitCodes#PRECONDITION_FAILED} when a required artifact is missing or
 * any artifact is mismatched.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show where the runtime bundle is and verify every artifact.")
final class RuntimeStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    record Json(String bundle, BundleLocation.Origin origin, String warning, boolean ok, List<ArtifactStatus> artifacts,
                String remedy) {}

    @Override
    public Integer call() {
        BundleStatusReport report = BundleStatusReport.inspect(DiscoveryContext.fromSystem());
        Printer printer = new Printer(spec.commandLine().getOut());
        String remedy = report.healthy() ? "" : report.remedy();
        if (output.json) {
            printer.json(new Json(report.location().root().toString(), report.location().origin(),
                    report.location().warning(), report.healthy(), report.artifacts(), remedy));
        } else {
            if (!report.location().warning().isEmpty()) {
                spec.commandLine().getErr().println("WARN: " + report.location().warning());
                spec.commandLine().getErr().flush();
            }
            printer.line("bundle: " + report.location().root() + " (" + report.location().origin().description() + ")");
            printer.table(List.of("ARTIFACT", "VERSION", "STATE", "PATH"), report.artifacts().stream()
                    .map(a -> List.of(a.name(), a.version().isEmpty() ? "-" : a.version(), state(a), a.path()))
                    .toList());
            if (!report.healthy()) {
                printer.line("problems: " + report.describeProblems() + "; " + remedy);
            } else if (report.firecrackerMissing()) {
                printer.line("note: no firecracker; " + BundleStatusReport.firecrackerRemedy());
            }
        }
        return report.healthy() ? ExitCodes.OK : ExitCodes.PRECONDITION_FAILED;
    }

    private static String state(ArtifactStatus a) {
        // The wire word; a problem in capitals so it stands out.
        String word = a.state().wireName();
        if (a.isProblem()) {
            return word.toUpperCase(Locale.ROOT);
        }
        return a.state() == ArtifactStatus.State.MISSING ? word + " (optional)" : word;
    }
}
