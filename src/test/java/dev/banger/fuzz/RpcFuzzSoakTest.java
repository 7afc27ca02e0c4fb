package dev.banger.fuzz;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slow tier of the RPC fuzz ({@code make test-faults}): 10,000 hostile requests on one
 * connection, then 10,000 more from four concurrent clients; same checks as {@link RpcFuzzTest}.
 */
@Tag("faults")
@Tag("root")
class RpcFuzzSoakTest {
    @TempDir
    Path dir;

    private NamespacedDaemon daemon;

    @BeforeEach
    void startDaemon() throws Exception {
        daemon = new NamespacedDaemon(dir, "");
        daemon.start();
    }

    @AfterEach
    void stopDaemon() {
        daemon.close();
    }

    @Test
    void tenThousandHostileRequestsAreAllRefusedAndChangeNothing() throws Exception {
        RpcFuzzTest.fuzzAndCheck(daemon, RpcFuzzer.seed("RpcFuzzSoakTest"), RpcFuzzer.requests(10_000));
    }

    @Test
    void fourConcurrentHostileClientsOfTenThousandRequestsInAllAreAllRefusedAndChangeNothing() throws Exception {
        RpcFuzzTest.fuzzAndCheck(daemon, RpcFuzzer.seed("RpcFuzzSoakTest.concurrent"), RpcFuzzer.requests(10_000), 4);
    }
}
