package dev.banger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortForwardTest {
    @Test
    void aBarePairIsTcpFromLoopback() {
        assertThat(PortForward.parse("8080:80")).isEqualTo(new PortForward("127.0.0.1", 8080, 80, "tcp"));
    }

    @Test
    void anAddressAndAProtocolAreTakenAsGiven() {
        assertThat(PortForward.parse("0.0.0.0:5353:53/udp")).isEqualTo(new PortForward("0.0.0.0", 5353, 53, "udp"));
        assertThat(PortForward.parse(" 192.168.1.5:2222:22/TCP ")).isEqualTo(new PortForward("192.168.1.5", 2222, 22, "tcp"));
    }

    @Test
    void theSpecReadsBackToTheSameForward() {
        PortForward forward = new PortForward("10.0.0.7", 1, 65535, "udp");

        assertThat(forward.spec()).isEqualTo("10.0.0.7:1:65535/udp");
        assertThat(PortForward.parse(forward.spec())).isEqualTo(forward);
        assertThat(forward.hostSide()).isEqualTo("10.0.0.7:1/udp");
    }

    @Test
    void badSpecsAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> PortForward.parse("0:80")).isInstanceOf(PortSpecException.class)
                .hasMessageContaining("host port 0 is out of range 1-65535");
        assertThatThrownBy(() -> PortForward.parse("8080:65536")).hasMessageContaining("guest port 65536 is out of range");
        assertThatThrownBy(() -> PortForward.parse("8080")).hasMessageContaining("has no guest port");
        assertThatThrownBy(() -> PortForward.parse("8080:80/sctp")).hasMessageContaining("must be tcp or udp, not 'sctp'");
        assertThatThrownBy(() -> PortForward.parse("1.2.3.4:8080:80:1")).hasMessageContaining("is not a port forward");
        assertThatThrownBy(() -> PortForward.parse("-1:80")).hasMessageContaining("is not a number");
        assertThatThrownBy(() -> PortForward.parse("::1:80:80")).hasMessageContaining("is not a port forward");
        assertThatThrownBy(() -> PortForward.parse("")).hasMessageContaining("a port forward is required");
        assertThatThrownBy(() -> PortForward.parse(null)).hasMessageContaining("a port forward is required");
        for (String address : new String[] {"localhost", "1.2.3", "256.0.0.1", "01.2.3.4", "1.2.3.4.5", "1..3.4"}) {
            assertThatThrownBy(() -> PortForward.parse(address + ":80:80")).as(address)
                    .hasMessageContaining("host address '" + address + "' is not an IPv4 address");
        }
    }

    @Test
    void theHostSideAloneNamesAForwardAndAWholeSpecAlsoItsGuestPort() {
        PortForward forward = new PortForward("127.0.0.1", 2222, 22, "tcp");

        assertThat(PortForward.HostSide.parse("2222")).isEqualTo(new PortForward.HostSide("127.0.0.1", 2222, "tcp", null));
        assertThat(forward.matches(PortForward.HostSide.parse("2222"))).isTrue();
        assertThat(forward.matches(PortForward.HostSide.parse("127.0.0.1:2222/tcp"))).isTrue();
        assertThat(forward.matches(PortForward.HostSide.parse("2222:22"))).isTrue();
        assertThat(forward.matches(PortForward.HostSide.parse("2222:23"))).isFalse();
        assertThat(forward.matches(PortForward.HostSide.parse("2222/udp"))).isFalse();
        assertThat(forward.matches(PortForward.HostSide.parse("0.0.0.0:2222"))).isFalse();
    }

    @Test
    void anyAddressClashesWithEveryAddressOnItsPortAndProtocol() {
        PortForward any = new PortForward("0.0.0.0", 8080, 80, "tcp");

        assertThat(any.clashesWith(PortForward.loopback(8080, 81))).isTrue();
        assertThat(PortForward.loopback(8080, 81).clashesWith(any)).isTrue();
        assertThat(PortForward.loopback(8080, 81).clashesWith(new PortForward("192.168.1.5", 8080, 80, "tcp"))).isFalse();
        assertThat(any.clashesWith(new PortForward("0.0.0.0", 8080, 80, "udp"))).isFalse();
        assertThat(any.clashesWith(new PortForward("0.0.0.0", 8081, 80, "tcp"))).isFalse();
    }

    @Test
    void loopbackIsReachedFromAnyLoopbackAddressOrAllAddresses() {
        assertThat(PortForward.loopback(1, 1).reachesLoopback()).isTrue();
        assertThat(new PortForward("127.0.0.2", 1, 1, "tcp").reachesLoopback()).isTrue();
        assertThat(new PortForward("0.0.0.0", 1, 1, "tcp").reachesLoopback()).isTrue();
        assertThat(new PortForward("192.168.1.5", 1, 1, "tcp").reachesLoopback()).isFalse();
    }
}
