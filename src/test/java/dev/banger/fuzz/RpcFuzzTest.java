package dev.banger.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.model.DaemonStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast tier of the RPC fuzz (in {@code make test}): 2,000 seeded hostile requests against one
 * real bangerd in its own network namespace. Every answer is a JSON-RPC error, the daemon keeps
 * serving, and nothing appears on disk, in the store, in the namespace's links or firewall, or as a process.
 * {@link RpcFuzzSoakTest} is the same with 10,000 requests.
 */
@Tag("root")
class RpcFuzzTest {
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
    void twoThousandHostileRequestsAreAllRefusedAndChangeNothing() throws Exception {
        fuzzAndCheck(daemon, RpcFuzzer.seed("RpcFuzzTest"), RpcFuzzer.requests(2_000));
    }

    /** Runs the fuzz and checks the daemon's health and the absence of side effects. */
    static void fuzzAndCheck(NamespacedDaemon daemon, long seed, int count) throws Exception {
        fuzzAndCheck(daemon, seed, count, 1);
    }

    /**
     * As {@link #fuzzAndCheck(NamespacedDaemon, long, int)} with {@code clients} concurrent
     * connections, client k using seed {@code seed + k} and {@code count / clients} requests.
     */
    static void fuzzAndCheck(NamespacedDaemon daemon, long seed, int count, int clients) throws Exception {
        List<String> linksBefore = daemon.links();
        String firewallBefore = daemon.firewall();
        SortedSet<String> filesBefore = daemon.files();

        List<java.util.concurrent.Future<RpcFuzzer.Report>> running = new java.util.ArrayList<>();
        long start = System.nanoTime();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int k = 0; k < clients; k++) {
                long clientSeed = seed + k;
                running.add(executor.submit(() -> new RpcFuzzer(daemon.sandbox().paths().socket()).run(clientSeed, count / clients)));
            }
        }
        int requests = 0;
        for (var future : running) {
            RpcFuzzer.Report report = future.get();
            System.out.println(report.summary());
            assertThat(report.failures()).as("replay with -Dbanger.fuzz.seed=%d; daemon log:%n%s", report.seed(), daemon.log()).isEmpty();
            requests += report.requests();
        }
        if (clients > 1) {
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d clients: %d requests in %.1f s = %.0f requests/s%n", clients, requests, seconds, requests / seconds);
        }
        assertThat(requests).isEqualTo(count / clients * clients);
        assertThat(daemon.process().isAlive()).as("bangerd still runs").isTrue();
        DaemonStatus status = daemon.call("daemon.status", DaemonStatus.class);
        assertThat(status.pid()).isEqualTo(daemon.process().pid());
        assertThat(daemon.call("vm.list", JsonNode.class).path("vms")).as("no VM rows").isEmpty();
        assertThat(daemon.call("image.list", JsonNode.class).path("images")).as("no image rows").isEmpty();
        assertThat(daemon.files()).as("nothing new under the state and cache dirs").isEqualTo(filesBefore);
        assertThat(daemon.files()).noneMatch(p -> p.startsWith("state/vms/") || p.startsWith("state/images/"));
        assertThat(daemon.links()).as("no new links in the daemon's namespace").isEqualTo(linksBefore);
        assertThat(daemon.firewall()).as("no firewall rules in the daemon's namespace").isEqualTo(firewallBefore);
        assertThat(daemon.lingeringChildren()).as("no processes left behind").isEmpty();
    }
}
