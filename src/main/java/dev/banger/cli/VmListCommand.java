package dev.banger.cli;

import dev.banger.model.VmList;
import dev.banger.rpc.RpcClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banger vm list}: every VM as a table row, or the list as JSON. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List VMs.")
final class VmListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        VmList list;
        try (RpcClient client = vm.connect()) {
            list = client.call("vm.list", null, VmList.class, Duration.ofSeconds(30));
        }
        Printer printer = new Printer(spec.commandLine().getOut());
        if (output.json) {
            printer.json(list);
        } else {
            VmView.printList(printer, list.vms().stream().map(VmView::row).toList());
        }
        return ExitCodes.OK;
    }
}
