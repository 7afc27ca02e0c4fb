package dev.banger.cli;

import dev.banger.model.VmInfo;
import dev.banger.rpc.RpcClient;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** The shared body of {@code vm start|stop|restart}: one RPC, then the state it left the VM in. Stateless. */
final class VmStateChange {
    private VmStateChange() {}

    static int run(CommandSpec spec, VmCommand vm, OutputOptions output, String method, String name, Duration deadline) {
        VmView.requireName(spec, name);
        VmInfo info;
        try (RpcClient client = vm.connect()) {
            info = client.call(method, Map.of("name", name), VmInfo.class, deadline);
        }
        Printer printer = new Printer(spec.commandLine().getOut());
        if (output.json) {
            printer.json(info);
        } else {
            printer.line(info.name() + ": " + info.state().wireName());
        }
        return ExitCodes.OK;
    }
}
