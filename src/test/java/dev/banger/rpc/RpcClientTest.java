package dev.banger.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class RpcClientTest {
    @TempDir
    Path dir;

    private ServerSocketChannel listen(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return server;
    }

    @Test
    void aDaemonThatNeverAnswersFailsTheCallAtItsDeadline() throws IOException {
        Path socket = dir.resolve("silent.sock");
        try (ServerSocketChannel server = listen(socket); RpcClient client = RpcClient.connect(socket);
                SocketChannel accepted = server.accept()) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> client.call("vm.list", null, Map.class, Duration.ofMillis(300)))
                    .isInstanceOf(DaemonUnavailableException.class)
                    .hasMessage("bangerd did not answer vm.list within 300 ms")
                    .satisfies(e -> assertThat(((DaemonUnavailableException) e).noAnswer()).isTrue());

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(10));
            assertThat(accepted.isOpen()).isTrue();
        }
    }

    @Test
    void anAnswerBeforeTheDeadlineIsReturnedAndTheConnectionStaysUsable() throws IOException {
        Path socket = dir.resolve("echo.sock");
        try (ServerSocketChannel server = listen(socket); RpcClient client = RpcClient.connect(socket);
                SocketChannel accepted = server.accept()) {
            for (int id = 1; id <= 2; id++) {
                answer(accepted, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"n\":" + id + "}}\n");
                Object result = client.call("vm.list", null, Map.class, Duration.ofSeconds(5));
                assertThat(result).isEqualTo(Map.of("n", id));
            }
        }
    }

    @Test
    void aDaemonThatHangsUpIsReportedAsALostConnection() throws IOException {
        Path socket = dir.resolve("gone.sock");
        try (ServerSocketChannel server = listen(socket); RpcClient client = RpcClient.connect(socket)) {
            server.accept().close();

            assertThatThrownBy(() -> client.call("vm.list", null, Map.class, Duration.ofSeconds(5)))
                    .isInstanceOf(DaemonUnavailableException.class)
                    .hasMessageContaining("vm.list")
                    .satisfies(e -> assertThat(((DaemonUnavailableException) e).noAnswer()).isFalse());
        }
    }

    @Test
    void aRawCallSendsWhatCallSendsWithoutParamsAndReturnsTheAnswerLineUndecoded() throws Exception {
        Path socket = dir.resolve("raw.sock");
        String answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"vms\":[]}}";
        try (ServerSocketChannel server = listen(socket); RpcClient raw = RpcClient.connect(socket);
                SocketChannel rawSide = server.accept(); RpcClient full = RpcClient.connect(socket);
                SocketChannel fullSide = server.accept()) {
            java.util.concurrent.CompletableFuture<String> rawRequest = answer(rawSide, answer + "\n");
            java.util.concurrent.CompletableFuture<String> fullRequest = answer(fullSide, answer + "\n");

            assertThat(raw.callRaw("vm.list", Duration.ofSeconds(5))).isEqualTo(answer);
            full.call("vm.list", null, Map.class, Duration.ofSeconds(5));

            assertThat(rawRequest.get(5, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(fullRequest.get(5, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"vm.list\",\"params\":{}}\n");
        }
    }

    /** Answers {@code line} once a request line arrived, from another thread, as a daemon would; completes with the request. */
    private static java.util.concurrent.CompletableFuture<String> answer(SocketChannel accepted, String line) {
        java.util.concurrent.CompletableFuture<String> request = new java.util.concurrent.CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                ByteBuffer in = ByteBuffer.allocate(4096);
                while (!new String(in.array(), 0, in.position(), StandardCharsets.UTF_8).contains("\n")) {
                    if (accepted.read(in) < 0) {
                        request.completeExceptionally(new IOException("closed before a request line"));
                        return;
                    }
                }
                request.complete(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
                accepted.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                request.completeExceptionally(e);
            }
        });
        return request;
    }
}
