package dev.banger.cli;

import dev.banger.model.Operation;
import dev.banger.rpc.RpcClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code banger image verify NAME}: boots a throwaway VM from the image and checks what it promises. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Boot a VM from the image, check agent health, SSH, and for dev images opencode and mise; then delete it.")
final class ImageVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        Printer printer = new Printer(spec.commandLine().getOut());
        try (RpcClient client = DaemonConnector.fromEnvironment().connectOrStart()) {
            Operation started = client.call("image.verify.begin", Map.of("name", name), Operation.class, Duration.ofMinutes(2));
            Operation finished = new OperationProgress(client, "image.verify.status", output.json ? null : spec.commandLine().getOut())
                    .follow(started, Duration.ofMinutes(20));
            if (output.json) {
                printer.json(finished);
            }
            OperationProgress.requireSucceeded(finished);
            if (!output.json) {
                printer.line("image '" + name + "' verified in " + Durations.human(Duration.between(finished.startedAt(), finished.endedAt())));
            }
        }
        return ExitCodes.OK;
    }
}
