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
 * serving, and nothing appears on disk, in the store, in the namespace's links or as a process.
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

    /** Runs the fuzz and checks the daemon's health and the absence of side effects; returns the report. */
    static RpcFuzzer.Report fuzzAndCheck(NamespacedDaemon daemon, long seed, int count) throws Exception {
        List<String> linksBefore = daemon.links();
        SortedSet<String> filesBefore = daemon.files();

        RpcFuzzer.Report report = new RpcFuzzer(daemon.sandbox().paths().socket()).run(seed, count);
        System.out.println(report.summary());

        assertThat(report.failures()).as("replay with -Dbanger.fuzz.seed=%d; daemon log:%n%s", seed, daemon.log()).isEmpty();
        assertThat(report.requests()).isEqualTo(count);
        assertThat(daemon.process().isAlive()).as("bangerd still runs").isTrue();
        DaemonStatus status = daemon.call("daemon.status", DaemonStatus.class);
        assertThat(status.pid()).isEqualTo(daemon.process().pid());
        assertThat(daemon.call("vm.list", JsonNode.class).path("vms")).as("no VM rows").isEmpty();
        assertThat(daemon.call("image.list", JsonNode.class).path("images")).as("no image rows").isEmpty();
        assertThat(daemon.files()).as("nothing new under the state and cache dirs").isEqualTo(filesBefore);
        assertThat(daemon.files()).noneMatch(p -> p.startsWith("state/vms/") || p.startsWith("state/images/"));
        assertThat(daemon.links()).as("no new links in the daemon's namespace").isEqualTo(linksBefore);
        assertThat(daemon.lingeringChildren()).as("no processes left behind").isEmpty();
        return report;
    }
}
