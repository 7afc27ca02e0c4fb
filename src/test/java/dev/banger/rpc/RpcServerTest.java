package dev.banger.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpcServerTest {
    @TempDir
    Path dir;

    private RpcServer server;
    private Path socket;
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);

    record Sum(int a, int b) {}

    @BeforeEach
    void start() throws IOException {
        socket = dir.resolve("test.sock");
        RpcDispatcher dispatcher = new RpcDispatcher(List.of(
                RpcMethod.of("test.add", Sum.class, (p, c) -> p.a() + p.b()),
                RpcMethod.withoutParams("test.whoami", c -> c.user()),
                RpcMethod.withoutParams("test.slow", c -> {
                    slowEntered.countDown();
                    try {
                        return slowRelease.await(20, TimeUnit.SECONDS) ? "done" : "timeout";
                    } catch (InterruptedException e) {
                        return "interrupted";
                    }
                })));
        server = RpcServer.start(socket, dispatcher, new PeerAuthorizer("banger-test-ok", user -> Set.of()));
    }

    @AfterEach
    void stop() {
        slowRelease.countDown();
        server.close(Duration.ofSeconds(2));
    }

    private int add(int a, int b) {
        try (RpcClient client = RpcClient.connect(socket)) {
            return client.call("test.add", new Sum(a, b), Integer.class, Duration.ofSeconds(5));
        }
    }

    private static SocketChannel raw(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
    }

    private static String exchange(SocketChannel channel, String payload) throws IOException {
        channel.write(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
        return new LineReader(Channels.newInputStream(channel), 1 << 20).readLine();
    }

    @Test
    void answersRequestsOverTheSocket() {
        assertThat(add(2, 3)).isEqualTo(5);
        try (RpcClient client = RpcClient.connect(socket)) {
            assertThat(client.call("test.whoami", null, String.class, Duration.ofSeconds(5))).isEqualTo("root");
        }
    }

    @Test
    void malformedJsonGetsParseErrorAndTheConnectionStaysUsable() throws Exception {
        try (SocketChannel channel = raw(socket)) {
            LineReader reader = new LineReader(Channels.newInputStream(channel), 1 << 20);
            channel.write(ByteBuffer.wrap("{not json\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test.add\",\"params\":{\"a\":1,\"b\":1}}\n"
                    .getBytes(StandardCharsets.UTF_8)));
            JsonNode first = Json.mapper().readTree(reader.readLine());
            JsonNode second = Json.mapper().readTree(reader.readLine());
            assertThat(first.get("error").get("code").asInt()).isEqualTo(-32700);
            assertThat(second.get("result").asInt()).isEqualTo(2);
        }
    }

    @Test
    void requestLineOverOneMebibyteIsRefusedAndOthersAreStillServed() throws Exception {
        try (SocketChannel channel = raw(socket)) {
            String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test.add\",\"params\":{\"pad\":\"" + "x".repeat(RpcServer.MAX_REQUEST_BYTES) + "\"}}\n";
            JsonNode answer = Json.mapper().readTree(exchange(channel, huge));
            assertThat(answer.get("error").get("code").asInt()).isEqualTo(-32600);
            assertThat(answer.get("error").get("message").asText()).contains("exceeds");
            // The server closes the connection after refusing it.
            assertThat(new LineReader(Channels.newInputStream(channel), 1024).readLine()).isNull();
        } catch (IOException brokenPipe) {
            // The server may close before the client has written the whole line; that is a clean refusal too.
        }
        assertThat(add(20, 22)).isEqualTo(42);
    }

    @Test
    void clientDisconnectingMidRequestLeavesTheServerServing() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (SocketChannel channel = raw(socket)) {
                channel.write(ByteBuffer.wrap("{\"jsonrpc\":\"2.0\",\"id\":1,\"meth".getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertThat(add(1, 2)).isEqualTo(3);
    }

    @Test
    void slowRequestDoesNotBlockOtherClients() throws Exception {
        Future<String> slow;
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            slow = executor.submit(() -> {
                try (RpcClient client = RpcClient.connect(socket)) {
                    return client.call("test.slow", null, String.class, Duration.ofSeconds(30));
                }
            });
            assertThat(slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Integer>> others = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                others.add(executor.submit(() -> add(n, n)));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(others.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(2 * i);
            }
            slowRelease.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("done");
        }
    }

    @Test
    void gracefulCloseLetsTheRequestInFlightFinishAndRemovesTheSocket() throws Exception {
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> slow = executor.submit(() -> {
                try (RpcClient client = RpcClient.connect(socket)) {
                    return client.call("test.slow", null, String.class, Duration.ofSeconds(30));
                }
            });
            assertThat(slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
            RpcClient idle = RpcClient.connect(socket);
            Future<?> closing = executor.submit(() -> server.close(Duration.ofSeconds(20)));
            slowRelease.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("done");
            closing.get(10, TimeUnit.SECONDS);
            idle.close();
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    @Tag("root")
    void peerOutsideTheAllowedGroupIsRefusedAndMemberIsServed() throws Exception {
        ProcessHostCommands host = new ProcessHostCommands();
        String outsider = "bgt-out-" + ProcessHandle.current().pid() % 100000;
        String member = "bgt-in-" + ProcessHandle.current().pid() % 100000;
        String group = "bgt-grp-" + ProcessHandle.current().pid() % 100000;
        server.close(Duration.ofSeconds(1));
        host.run("groupadd", group);
        try {
            host.run("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", outsider);
            host.run("useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "-G", group, member);
            // The filesystem mode is opened up here so the peer-credential check itself is what decides.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            RpcDispatcher dispatcher = new RpcDispatcher(List.of(RpcMethod.withoutParams("test.whoami", c -> c.user())));
            server = RpcServer.start(socket, dispatcher,
                    new PeerAuthorizer(group, user -> Set.copyOf(List.of(
                            host.run("id", "-Gn", "--", user).stdout().strip().split("\\s+")))));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            String request = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"test.whoami\"}\n";

            JsonNode refused = Json.mapper().readTree(callAs(host, outsider, request));
            assertThat(refused.get("id").asInt()).isEqualTo(9);
            assertThat(refused.get("error").get("data").get("kind").asText()).isEqualTo("unauthorized");
            assertThat(refused.get("error").get("message").asText()).contains(outsider).contains(group);

            JsonNode served = Json.mapper().readTree(callAs(host, member, request));
            assertThat(served.get("result").asText()).isEqualTo(member);
        } finally {
            host.exec(Command.of("userdel", outsider));
            host.exec(Command.of("userdel", member));
            host.exec(Command.of("groupdel", group));
        }
    }

    private String callAs(ProcessHostCommands host, String user, String request) {
        CommandResult result = host.run(Command.of("runuser", "-u", user, "--", "socat", "-t", "5", "-", "UNIX-CONNECT:" + socket)
                .withStdin(request.getBytes(StandardCharsets.UTF_8))
                .withTimeout(Duration.ofSeconds(20)));
        return result.stdout().strip();
    }
}
