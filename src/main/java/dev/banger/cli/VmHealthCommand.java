package dev.banger.cli;

import dev.banger.model.HealthReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banger vm health NAME}: what the guest agent reports: services, work disk, uptime, boot id. */
@Command(name = "health", mixinStandardHelpOptions = true, description = "Ask a VM's guest agent how the guest is doing.")
final class VmHealthCommand implements Callable<Integer> {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        VmView.requireName(spec, name);
        return DaemonCall.print(spec.commandLine().getOut(), output, vm::connect, "vm.health", Map.of("name", name),
                HealthReport.class, DEADLINE, (printer, report) -> printer.fields(fields(report)));
    }

    static String status(HealthReport report) {
        return report.status().wireName();
    }

    static List<String[]> fields(HealthReport report) {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"status", status(report) + (report.legacy() ? " (legacy agent: no details)" : "")});
        // sshd and opencode are always listed, so a missing one reads as "not reported", not as absent output.
        Map<String, HealthReport.Service> services = new TreeMap<>(report.services());
        for (String wellKnown : List.of("sshd", "opencode")) {
            if (!services.containsKey(wellKnown)) {
                fields.add(new String[] {wellKnown, "not reported"});
            }
        }
        services.forEach((service, state) -> fields.add(new String[] {service,
                (state.listening() ? "listening" : "not listening") + " on port " + state.port()}));
        fields.add(new String[] {"work disk", report.workDisk() == null ? "-"
                : (report.workDisk().mounted() ? "mounted at " : "not mounted at ") + report.workDisk().mountPoint()});
        fields.add(new String[] {"uptime", report.uptime() == null ? "-" : Durations.human(report.uptime())});
        fields.add(new String[] {"hostname", VmView.text(report.hostname())});
        fields.add(new String[] {"boot id", VmView.text(report.bootId())});
        fields.add(new String[] {"agent version", VmView.text(report.agentVersion())});
        return fields;
    }
}
