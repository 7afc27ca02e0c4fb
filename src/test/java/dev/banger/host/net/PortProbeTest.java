package dev.banger.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import dev.banger.model.PortForward;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortProbeTest {
    @Test
    void aPortAProgramListensOnIsTakenAndSaysHowToFindIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            PortForward forward = PortForward.loopback(taken.getLocalPort(), 22);

            assertThatThrownBy(() -> PortProbe.BIND.requireFree(forward))
                    .isInstanceOfSatisfying(NetworkException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                    .hasMessageContaining("host port 127.0.0.1:" + taken.getLocalPort() + "/tcp is in use on this host")
                    .hasMessageContaining("ss -lntup");
            assertThatThrownBy(() -> PortProbe.BIND.requireFree(new PortForward("0.0.0.0", taken.getLocalPort(), 22, "tcp")))
                    .isInstanceOf(NetworkException.class);
        }
    }

    @Test
    void aUdpPortIsTakenByABoundDatagramSocketOnlyForUdp() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> PortProbe.BIND.requireFree(new PortForward("127.0.0.1", port, 53, "udp")))
                    .isInstanceOf(NetworkException.class).hasMessageContaining("/udp is in use");
            assertThatCode(() -> PortProbe.BIND.requireFree(new PortForward("127.0.0.1", port, 53, "tcp"))).doesNotThrowAnyException();
        }
    }

    @Test
    void aFreePortIsFreeAndStaysFree() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }

        PortProbe.BIND.requireFree(PortForward.loopback(port, 22));

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void anAddressThatIsNotTheHostsIsABadArgument() {
        // 192.0.2.0/24 is TEST-NET-1: documentation only, never assigned.
        assertThatThrownBy(() -> PortProbe.BIND.requireFree(new PortForward("192.0.2.77", 8080, 80, "tcp")))
                .isInstanceOfSatisfying(NetworkException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("host address 192.0.2.77 is not an address of this host");
    }
}
