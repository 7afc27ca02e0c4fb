package dev.banger.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A tiny upstream resolver on 127.0.0.1 for tests: answers every {@code A} question with
 * {@link #ADDRESS}, or, when silent, never answers at all. Counts the queries it received.
 */
final class FakeUpstream implements AutoCloseable {
    static final String ADDRESS = "192.0.2.77";

    private final DatagramChannel channel;
    private final Thread loop;
    private final boolean silent;
    private final AtomicInteger queries = new AtomicInteger();

    private FakeUpstream(boolean silent) throws IOException {
        this.silent = silent;
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        loop = Thread.ofVirtual().name("fake-upstream").start(this::serve);
    }

    static FakeUpstream answering() throws IOException {
        return new FakeUpstream(false);
    }

    static FakeUpstream silent() throws IOException {
        return new FakeUpstream(true);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    int queries() {
        return queries.get();
    }

    private void serve() {
        ByteBuffer buffer = ByteBuffer.allocate(65535);
        try {
            while (true) {
                buffer.clear();
                SocketAddress client = channel.receive(buffer);
                buffer.flip();
                byte[] packet = new byte[buffer.remaining()];
                buffer.get(packet);
                queries.incrementAndGet();
                if (silent) {
                    continue;
                }
                Message query = new Message(packet);
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.RA);
                Record question = query.getQuestion();
                response.addRecord(question, Section.QUESTION);
                if (question.getType() == Type.A) {
                    response.addRecord(new ARecord(question.getName(), DClass.IN, 300, InetAddress.getByName(ADDRESS)), Section.ANSWER);
                }
                channel.send(ByteBuffer.wrap(response.toWire(512)), client);
            }
        } catch (ClosedChannelException e) {
            // closed by the test
        } catch (IOException e) {
            throw new IllegalStateException("fake upstream failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            loop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
