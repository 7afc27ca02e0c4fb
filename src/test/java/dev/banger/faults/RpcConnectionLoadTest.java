package dev.banger.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.DaemonStatus;
import dev.banger.model.VmList;
import dev.banger.rpc.RpcClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 200 clients connecting at the same moment, with no guest needed: every connection is accepted and answered. */
@Tag("root")
@Tag("faults")
class RpcConnectionLoadTest {
    private static final int CLIENTS = 200;

    @Test
    void twoHundredClientsConnectingAtOnceAreAllServed(@TempDir Path dir) throws Exception {
        try (FaultLab lab = new FaultLab(dir, 1)) {
            lab.startDaemon();
            Queue<String> errors = new ConcurrentLinkedQueue<>();
            Queue<Long> micros = new ConcurrentLinkedQueue<>();
            List<CompletableFuture<Void>> clients = IntStream.range(0, CLIENTS).mapToObj(c -> CompletableFuture.runAsync(() -> {
                long t0 = System.nanoTime();
                try (RpcClient client = lab.client()) {
                    if (c % 2 == 0) {
                        client.call("vm.list", null, VmList.class, FaultLab.RPC);
                    } else {
                        client.call("daemon.status", null, DaemonStatus.class, FaultLab.RPC);
                    }
                    micros.add((System.nanoTime() - t0) / 1_000);
                } catch (RuntimeException e) {
                    errors.add(e.getMessage());
                }
            }, r -> Thread.ofVirtual().start(r))).toList();
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);

            System.out.printf("faults: %d clients connecting at once: %d answered, %d errors, connect+call in µs %s%n", CLIENTS,
                    micros.size(), errors.size(), RpcLoadTest.Percentiles.of(List.copyOf(micros)));
            assertThat(errors).as("errors").isEmpty();
            assertThat(lab.log()).doesNotContain("SQLITE_BUSY");
        }
    }
}
