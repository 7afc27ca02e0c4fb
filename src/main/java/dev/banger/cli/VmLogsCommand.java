package dev.banger.cli;

import dev.banger.model.VmLogChunk;
import dev.banger.rpc.RpcClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code banger vm logs NAME}: prints the VM's console log; with {@code --follow} keeps printing
 * new output until the VM stops running (or the user presses Ctrl-C).
 */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a VM's console log.")
final class VmLogsCommand implements Callable<Integer> {
    static final Duration POLL = Duration.ofMillis(200);

    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the VM stops.")
    boolean follow;

    @Override
    public Integer call() {
        VmView.requireName(spec, name);
        PrintWriter out = spec.commandLine().getOut();
        try (RpcClient client = vm.connect()) {
            long offset = 0;
            while (true) {
                VmLogChunk chunk = client.call("vm.logs", Map.of("name", name, "offset", offset), VmLogChunk.class,
                        Duration.ofSeconds(30));
                String text = chunk.text() == null ? "" : chunk.text();
                out.print(text);
                out.flush();
                offset = chunk.nextOffset();
                if (!text.isEmpty()) {
                    // More may be buffered already: ask again at once.
                    continue;
                }
                if (!follow || !chunk.running()) {
                    return ExitCodes.OK;
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationProgress.OperationFailedException("interrupted while following the log");
        }
    }
}
