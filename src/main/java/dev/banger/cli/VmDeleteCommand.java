package dev.banger.cli;

import dev.banger.model.ErrorKind;
import dev.banger.model.VmDeleteResult;
import dev.banger.rpc.RpcClient;
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

/**
 * {@code banger vm delete NAME...}: deletes VMs in one request; one line per VM and a summary.
 * Exits 0 only when every VM was deleted, else with the exit code of the first failure's kind.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete one or more VMs and everything they own (disks, TAP, DNS name).")
final class VmDeleteCommand implements Callable<Integer> {
    static final Duration DEADLINE = Duration.ofMinutes(5);

    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    public Integer call() {
        names.forEach(n -> VmView.requireName(spec, n));
        VmDeleteResult result;
        try (RpcClient client = vm.connect()) {
            result = client.call("vm.delete", Map.of("names", List.copyOf(names)), VmDeleteResult.class, DEADLINE);
        }
        Printer printer = new Printer(spec.commandLine().getOut());
        if (output.json) {
            printer.json(result);
        } else {
            long deleted = 0;
            for (VmDeleteResult.Outcome outcome : result.outcomes()) {
                if (outcome.deleted()) {
                    deleted++;
                    printer.line("deleted " + outcome.name());
                } else {
                    printer.line(outcome.name() + ": " + VmView.text(outcome.error()));
                }
            }
            printer.line("deleted " + deleted + " of " + result.outcomes().size() + (result.outcomes().size() == 1 ? " VM" : " VMs"));
        }
        return exitCode(result);
    }

    static int exitCode(VmDeleteResult result) {
        return result.outcomes().stream()
                .filter(o -> !o.deleted())
                .findFirst()
                .map(o -> ExitCodes.forKind(ErrorKind.fromWireName(o.kind())))
                .orElse(ExitCodes.OK);
    }
}
