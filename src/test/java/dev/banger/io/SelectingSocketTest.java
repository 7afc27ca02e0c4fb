package dev.banger.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectingSocketTest {
    private static final LongSupplier MINUTE = () -> 60_000;

    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private Path path;

    @BeforeEach
    void listen() throws IOException {
        path = dir.resolve("s.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
    }

    @AfterEach
    void close() throws IOException {
        server.close();
        Thread.interrupted();
    }

    @Test
    void writesAndReadsWhatThePeerSendsThenSeesItClose() throws IOException {
        try (SelectingSocket socket = SelectingSocket.connect(path, MINUTE, "interrupted");
                SocketChannel peer = server.accept()) {
            socket.write(ByteBuffer.wrap("ping\n".getBytes(StandardCharsets.US_ASCII)), MINUTE);
            ByteBuffer got = ByteBuffer.allocate(5);
            while (got.hasRemaining()) {
                peer.read(got);
            }
            assertThat(new String(got.array(), StandardCharsets.US_ASCII)).isEqualTo("ping\n");

            peer.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)));
            peer.close();
            ByteBuffer answer = ByteBuffer.allocate(16);
            assertThat(socket.read(answer, MINUTE)).isEqualTo(4);
            assertThat(socket.read(answer, MINUTE)).isEqualTo(-1);
        }
    }

    @Test
    void aWaitPastTheCallersBudgetFailsWithTheCallersException() throws IOException {
        AtomicInteger asked = new AtomicInteger();
        LongSupplier budget = () -> {
            if (asked.incrementAndGet() > 1) {
                throw new IllegalStateException("timed out reading");
            }
            return 10;
        };
        try (SelectingSocket socket = SelectingSocket.connect(path, MINUTE, "interrupted");
                SocketChannel peer = server.accept()) {
            assertThatThrownBy(() -> socket.read(ByteBuffer.allocate(8), budget))
                    .isInstanceOf(IllegalStateException.class).hasMessage("timed out reading");
            assertThat(asked).hasValue(2);
        }
    }

    @Test
    void anInterruptedWaitSaysTheCallersWordsAndKeepsTheFlag() throws IOException {
        try (SelectingSocket socket = SelectingSocket.connect(path, MINUTE, "interrupted while testing");
                SocketChannel peer = server.accept()) {
            Thread.currentThread().interrupt();

            assertThatThrownBy(() -> socket.read(ByteBuffer.allocate(8), MINUTE))
                    .isInstanceOf(InterruptedIOException.class).hasMessage("interrupted while testing");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }
    }

    @Test
    void nothingListeningFailsToConnect() {
        assertThatThrownBy(() -> SelectingSocket.connect(dir.resolve("absent.sock"), MINUTE, "interrupted"))
                .isInstanceOf(IOException.class);
    }
}
