package dev.banger.vmm.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.rpc.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Unix socket server standing in for QEMU's QMP socket: serves the first connection with a script
 * and records every line the client sends. Closing it ends the script's connection.
 */
final class FakeQmpServer implements AutoCloseable {
    static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}}, \"capabilities\": [\"oob\"]}}";

    /** What the fake does with the one connection it serves. */
    interface Script {
        void serve(Peer peer) throws IOException;
    }

    private final ServerSocketChannel server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
    private final Thread thread;

    FakeQmpServer(Path path, Script script) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        thread = Thread.ofPlatform().daemon().name("fake-qmp").start(() -> {
            try (SocketChannel channel = server.accept()) {
                accepted.add(channel);
                script.serve(new Peer(channel));
            } catch (IOException e) {
                // The client hung up or the fake was closed: the conversation is over.
            }
        });
    }

    List<String> received() {
        return List.copyOf(received);
    }

    /** The {@code execute} of every command received, in order. */
    List<String> commands() {
        return received.stream().map(line -> {
            try {
                return Json.mapper().readTree(line).path("execute").asText();
            } catch (IOException e) {
                return line;
            }
        }).toList();
    }

    /** The arguments of the last command named {@code execute} received. */
    JsonNode argumentsOf(String execute) throws IOException {
        JsonNode found = null;
        for (String line : received) {
            JsonNode command = Json.mapper().readTree(line);
            if (command.path("execute").asText().equals(execute)) {
                found = command.path("arguments");
            }
        }
        if (found == null) {
            throw new AssertionError("no " + execute + " among " + commands());
        }
        return found;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel channel : accepted) {
            channel.close();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server's end of the connection. */
    final class Peer {
        private final BufferedReader in;
        private final OutputStream out;

        Peer(SocketChannel channel) {
            in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            out = Channels.newOutputStream(channel);
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads the client's next command, or null at end of stream. */
        JsonNode command() throws IOException {
            String line = in.readLine();
            if (line == null) {
                return null;
            }
            received.add(line);
            return Json.mapper().readTree(line);
        }

        /** Reads a command and answers it with {@code "return": returnJson}, echoing its id. */
        JsonNode answer(String returnJson) throws IOException {
            JsonNode command = command();
            send("{\"return\": " + returnJson + ", \"id\": " + command.path("id") + "}");
            return command;
        }

        /** Answers every further command with {@code "return": returnJson} until the client hangs up. */
        void answerAll(String returnJson) throws IOException {
            for (JsonNode command = command(); command != null; command = command()) {
                send("{\"return\": " + returnJson + ", \"id\": " + command.path("id") + "}");
            }
        }

        /** Greets and accepts {@code qmp_capabilities}, as QEMU does. */
        void negotiate() throws IOException {
            send(GREETING);
            answer("{}");
        }

        /** Blocks until the client hangs up (or the fake closes). */
        void drain() throws IOException {
            while (command() != null) {
                // swallow everything
            }
        }
    }
}
