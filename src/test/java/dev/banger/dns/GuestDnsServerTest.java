package dev.banger.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class GuestDnsServerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Map<String, String> GUESTS = Map.of("dev1", "172.30.0.2", "build", "172.30.0.3");

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    private static Optional<Inet4Address> lookup(String name) {
        String address = GUESTS.get(name);
        if (address == null) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByName(address));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private GuestDnsServer server(List<InetSocketAddress> upstreams, Duration upstreamTimeout) {
        GuestDnsSettings settings = new GuestDnsSettings(
                new InetSocketAddress(LOOPBACK, 0), "banger.internal", upstreams, upstreamTimeout, Duration.ofSeconds(5));
        GuestDnsServer server = new GuestDnsServer(settings, GuestDnsServerTest::lookup);
        opened.add(server);
        server.start();
        return server;
    }

    private GuestDnsServer server() {
        return server(List.of(), Duration.ofSeconds(1));
    }

    private static Message ask(GuestDnsServer server, String name, int type, boolean tcp) throws IOException {
        SimpleResolver client = new SimpleResolver(server.address());
        client.setTCP(tcp);
        client.setTimeout(Duration.ofSeconds(5));
        return client.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static List<String> addresses(Message response) {
        return response.getSection(Section.ANSWER).stream()
                .filter(r -> r instanceof ARecord)
                .map(r -> ((ARecord) r).getAddress().getHostAddress())
                .toList();
    }

    @Test
    void knownGuestNameIsAnsweredWithItsAddressAndAShortTtl() throws IOException {
        Message response = ask(server(), "dev1.banger.internal.", Type.A, false);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(addresses(response)).containsExactly("172.30.0.2");
        assertThat(response.getSection(Section.ANSWER).getFirst().getTTL()).isEqualTo(5);
    }

    @Test
    void unknownNameInTheDomainIsNxdomain() throws IOException {
        Message response = ask(server(), "nosuchvm.banger.internal.", Type.A, false);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @Test
    void namesBelowAGuestNameDoNotExist() throws IOException {
        Message response = ask(server(), "www.dev1.banger.internal.", Type.A, false);

        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void guestNamesAndTheDomainAreCaseInsensitive() throws IOException {
        Message response = ask(server(), "DeV1.BANGER.Internal.", Type.A, false);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(response)).containsExactly("172.30.0.2");
    }

    @Test
    void otherTypesOfAKnownGuestAreAnEmptyNoerror() throws IOException {
        GuestDnsServer server = server();

        for (int type : new int[] {Type.AAAA, Type.MX, Type.TXT}) {
            Message response = ask(server, "build.banger.internal.", type, false);

            assertThat(response.getRcode()).as(Type.string(type)).isEqualTo(Rcode.NOERROR);
            assertThat(response.getSection(Section.ANSWER)).as(Type.string(type)).isEmpty();
        }
    }

    @Test
    void namesOutsideTheDomainAreForwardedToTheUpstream() throws Exception {
        FakeUpstream upstream = FakeUpstream.answering();
        opened.add(upstream);
        GuestDnsServer server = server(List.of(upstream.address()), Duration.ofSeconds(3));

        Message response = ask(server, "example.org.", Type.A, false);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(response)).containsExactly(FakeUpstream.ADDRESS);
        assertThat(upstream.queries()).isEqualTo(1);
    }

    @Test
    void guestNamesAreNeverForwarded() throws Exception {
        FakeUpstream upstream = FakeUpstream.answering();
        opened.add(upstream);
        GuestDnsServer server = server(List.of(upstream.address()), Duration.ofSeconds(3));

        ask(server, "dev1.banger.internal.", Type.A, false);
        ask(server, "ghost.banger.internal.", Type.A, false);

        assertThat(upstream.queries()).isZero();
    }

    @Test
    void aFailingUpstreamIsSkippedForTheNextOne() throws Exception {
        FakeUpstream dead = FakeUpstream.silent();
        FakeUpstream alive = FakeUpstream.answering();
        opened.add(dead);
        opened.add(alive);
        GuestDnsServer server = server(List.of(dead.address(), alive.address()), Duration.ofSeconds(2));

        Message response = ask(server, "example.org.", Type.A, false);

        assertThat(addresses(response)).containsExactly(FakeUpstream.ADDRESS);
        assertThat(dead.queries()).isEqualTo(1);
    }

    @Test
    void upstreamThatNeverAnswersGivesServfailWithinTheTimeout() throws Exception {
        FakeUpstream silent = FakeUpstream.silent();
        opened.add(silent);
        Duration timeout = Duration.ofMillis(500);
        GuestDnsServer server = server(List.of(silent.address()), timeout);

        long start = System.nanoTime();
        Message response = ask(server, "example.org.", Type.A, false);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(Duration.ofSeconds(3));
        assertThat(silent.queries()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void noUpstreamsMeansServfailForForeignNames() throws IOException {
        Message response = ask(server(), "example.org.", Type.A, false);

        assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void malformedUdpPacketIsDroppedAndTheNextQueryIsStillAnswered() throws IOException {
        GuestDnsServer server = server();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(5000);
            byte[] garbage = {0x12, 0x34, 0x01};
            socket.send(new DatagramPacket(garbage, garbage.length, server.address()));
            Message query = Message.newQuery(Record.newRecord(Name.fromString("dev1.banger.internal."), Type.A, DClass.IN));
            byte[] wire = query.toWire();
            socket.send(new DatagramPacket(wire, wire.length, server.address()));

            DatagramPacket received = new DatagramPacket(new byte[65535], 65535);
            socket.receive(received);
            Message response = new Message(java.util.Arrays.copyOf(received.getData(), received.getLength()));

            assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
            assertThat(addresses(response)).containsExactly("172.30.0.2");
        }
    }

    @Test
    void queryOverTcpIsAnswered() throws IOException {
        Message response = ask(server(), "dev1.banger.internal.", Type.A, true);

        assertThat(addresses(response)).containsExactly("172.30.0.2");
    }

    @Test
    void malformedTcpMessageClosesOnlyThatConnection() throws IOException {
        GuestDnsServer server = server();
        try (java.net.Socket socket = new java.net.Socket(LOOPBACK, server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(new byte[] {0, 3, 1, 2, 3});
            socket.getOutputStream().flush();

            assertThat(socket.getInputStream().read()).as("end of stream").isEqualTo(-1);
        }

        assertThat(addresses(ask(server, "dev1.banger.internal.", Type.A, true))).containsExactly("172.30.0.2");
    }

    @Test
    void udpAndTcpShareOnePortAndCloseReleasesIt() throws IOException {
        GuestDnsServer server = server();
        InetSocketAddress address = server.address();

        server.close();

        try (DatagramSocket udp = new DatagramSocket(address);
                java.net.ServerSocket tcp = new java.net.ServerSocket(address.getPort(), 1, LOOPBACK)) {
            assertThat(udp.getLocalPort()).isEqualTo(tcp.getLocalPort()).isEqualTo(address.getPort());
        }
    }

    @Test
    void busyPortIsAClearErrorNamingTheAddress() throws IOException {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            GuestDnsSettings settings = new GuestDnsSettings(new InetSocketAddress(LOOPBACK, taken.getLocalPort()),
                    "banger.internal", List.of(), Duration.ofSeconds(1), Duration.ofSeconds(5));
            GuestDnsServer server = new GuestDnsServer(settings, name -> Optional.empty());
            opened.add(server);

            assertThatThrownBy(server::start)
                    .isInstanceOf(DnsException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void concurrentQueriesOverUdpAndTcpAreAllAnswered() throws Exception {
        GuestDnsServer server = server();
        List<java.util.concurrent.Future<List<String>>> answers = new ArrayList<>();

        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) {
                boolean tcp = i % 2 == 0;
                String name = i % 4 < 2 ? "dev1.banger.internal." : "build.banger.internal.";
                answers.add(executor.submit(() -> addresses(ask(server, name, Type.A, tcp))));
            }
        }

        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).get()).containsExactly(i % 4 < 2 ? "172.30.0.2" : "172.30.0.3");
        }
    }

    @Test
    void closeIsIdempotentAndAClosedServerCannotBeRestarted() {
        GuestDnsServer server = server();

        server.close();
        server.close();

        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void serverCannotBeStartedTwice() {
        GuestDnsServer server = server();

        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failingLookupIsServfailAndTheServerKeepsServing() throws IOException {
        GuestDnsSettings settings = new GuestDnsSettings(new InetSocketAddress(LOOPBACK, 0),
                "banger.internal", List.of(), Duration.ofSeconds(1), Duration.ofSeconds(5));
        GuestDnsServer server = new GuestDnsServer(settings, name -> {
            if (name.equals("broken")) {
                throw new IllegalStateException("store unavailable");
            }
            return lookup(name);
        });
        opened.add(server);
        server.start();

        assertThat(ask(server, "broken.banger.internal.", Type.A, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(addresses(ask(server, "dev1.banger.internal.", Type.A, false))).containsExactly("172.30.0.2");
    }
}
