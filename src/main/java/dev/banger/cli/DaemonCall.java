package dev.banger.cli;

import dev.banger.rpc.RpcClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The shape most commands share: one call to bangerd, then the result as one JSON line with
 * {@code --json}, else as text. Stateless.
 */
final class DaemonCall {
    private DaemonCall() {}

    /** Makes one call on a fresh connection and closes it. */
    static <R> R once(Supplier<RpcClient> connect, String method, Object params, Class<R> type, Duration deadline) {
        try (RpcClient client = connect.get()) {
            return client.call(method, params, type, deadline);
        }
    }

    /** Calls and prints the result: JSON with {@code --json}, else what {@code text} writes. */
    static <R> int print(PrintWriter out, OutputOptions output, Supplier<RpcClient> connect, String method, Object params,
            Class<R> type, Duration deadline, BiConsumer<Printer, R> text) {
        R result = once(connect, method, params, type, deadline);
        Printer printer = new Printer(out);
        if (output.json) {
            printer.json(result);
        } else {
            text.accept(printer, result);
        }
        return ExitCodes.OK;
    }

    /** A connection to the daemon named by the environment, starting it when it is not running. */
    static RpcClient fromEnvironment() {
        return DaemonConnector.fromEnvironment().connectOrStart();
    }
}
