package dev.banger.cli;

import dev.banger.model.VmStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banger vm stats NAME}: CPU, memory, disk and uptime of one VM as the host sees them. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Show a VM's CPU, memory and disk use.")
final class VmStatsCommand implements Callable<Integer> {
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
        return DaemonCall.print(spec.commandLine().getOut(), output, vm::connect, "vm.stats", Map.of("name", name),
                VmStats.class, Duration.ofSeconds(30), (printer, stats) -> printer.fields(fields(stats)));
    }

    static List<String[]> fields(VmStats stats) {
        String cpu = stats.cpuSeconds() == null ? "-"
                : VmView.number(stats.cpuSeconds()) + " s"
                        + (stats.cpuPercent() == null ? "" : " (" + VmView.number(stats.cpuPercent()) + "% of one CPU)");
        return List.of(
                new String[] {"name", stats.name()},
                new String[] {"state", stats.state() == null ? "-" : stats.state().wireName()},
                new String[] {"cpu", cpu},
                new String[] {"memory rss", stats.memoryRssBytes() == null ? "-"
                        : VmView.mib(stats.memoryRssBytes()) + " of " + stats.memoryMib() + " MiB"},
                new String[] {"disk", VmView.gib(stats.diskUsedBytes()) + " used of " + VmView.gib(stats.diskBytes())},
                new String[] {"uptime", stats.uptimeSeconds() == null ? "-"
                        : Durations.human(Duration.ofSeconds(stats.uptimeSeconds()))});
    }
}
