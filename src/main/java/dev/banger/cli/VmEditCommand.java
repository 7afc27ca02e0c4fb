package dev.banger.cli;

import dev.banger.model.VmInfo;
import dev.banger.rpc.RpcClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banger vm edit NAME}: changes CPUs, memory or work-disk size of a stopped VM (the disk only grows). */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Change a stopped VM's CPUs, memory or /root disk size (the disk only grows).")
final class VmEditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--vcpus", paramLabel = "N", description = "Virtual CPUs.")
    Integer vcpus;

    @Option(names = "--memory", paramLabel = "MiB", description = "Guest memory in MiB.")
    Integer memoryMib;

    @Option(names = "--disk", paramLabel = "GiB", description = "New size of the /root work disk in GiB; it only grows.")
    Integer diskGib;

    @Override
    public Integer call() {
        VmView.requireName(spec, name);
        if (vcpus == null && memoryMib == null && diskGib == null) {
            throw new ParameterException(spec.commandLine(), "nothing to change: give at least one of --vcpus, --memory, --disk");
        }
        VmView.requirePositive(spec, "--vcpus", vcpus);
        VmView.requirePositive(spec, "--memory", memoryMib);
        VmView.requirePositive(spec, "--disk", diskGib);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", name);
        if (vcpus != null) {
            params.put("vcpus", vcpus);
        }
        if (memoryMib != null) {
            params.put("memoryMib", memoryMib);
        }
        if (diskGib != null) {
            params.put("diskGib", diskGib);
        }
        VmInfo info;
        try (RpcClient client = vm.connect()) {
            info = client.call("vm.edit", params, VmInfo.class, Duration.ofMinutes(2));
        }
        Printer printer = new Printer(spec.commandLine().getOut());
        if (output.json) {
            printer.json(info);
        } else {
            printer.line(info.name() + ": " + info.vcpus() + " vcpus, " + info.memoryMib() + " MiB memory, "
                    + VmView.gib(info.diskBytes()) + " disk");
        }
        return ExitCodes.OK;
    }
}
