package dev.banger.cli;

import dev.banger.model.VmInfo;
import dev.banger.rpc.RpcClient;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banger vm unshare NAME GUEST_PATH}: the share at that guest path unmounted (when running) and forgotten ({@code vm.share.rm}). */
@Command(name = "unshare", mixinStandardHelpOptions = true,
        description = "Stop sharing a host directory with a VM (unmounted at once when it runs).")
final class VmUnshareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "GUEST_PATH", description = "Where the guest sees the share (see 'banger vm show').")
    String guestPath;

    @Override
    public Integer call() {
        VmView.requireName(spec, name);
        VmInfo info;
        try (RpcClient client = vm.connect()) {
            info = client.call("vm.share.rm", Map.of("name", name, "guestPath", guestPath), VmInfo.class,
                    VmShareCommand.SHARE_TIMEOUT);
        }
        Printer printer = new Printer(spec.commandLine().getOut());
        if (output.json) {
            printer.json(info);
        } else {
            printer.line(info.name() + ": no longer shares " + guestPath);
        }
        return ExitCodes.OK;
    }
}
