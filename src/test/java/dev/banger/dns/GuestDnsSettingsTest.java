package dev.banger.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestDnsSettingsTest {
    private static final InetSocketAddress LISTEN = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static GuestDnsSettings settings(String domain) {
        return new GuestDnsSettings(LISTEN, domain, List.of(), Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    @Test
    void gatewaySettingsListenOnPort53WithDefaults() throws Exception {
        GuestDnsSettings settings = GuestDnsSettings.forGateway(InetAddress.getByName("172.30.0.1"), "banger.internal", List.of());

        assertThat(settings.listen()).isEqualTo(new InetSocketAddress("172.30.0.1", 53));
        assertThat(settings.upstreamTimeout()).isEqualTo(GuestDnsSettings.DEFAULT_UPSTREAM_TIMEOUT);
        assertThat(settings.ttl()).isEqualTo(GuestDnsSettings.DEFAULT_TTL);
    }

    @Test
    void domainIsAbsoluteWhetherOrNotItEndsWithADot() {
        assertThat(settings("banger.internal").domainName()).isEqualTo(settings("Banger.Internal.").domainName());
        assertThat(settings("banger.internal").domainName().isAbsolute()).isTrue();
    }

    @Test
    void invalidDomainsAreRefusedByName() {
        for (String bad : List.of("", ".", "has space.internal", "-lead.internal", "a..b", "under_score.internal")) {
            assertThatThrownBy(() -> settings(bad)).as(bad).isInstanceOf(DnsException.class).hasMessageContaining("domain");
        }
    }

    @Test
    void upstreamEqualToTheListenAddressIsRefusedAsALoop() {
        InetSocketAddress self = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53);

        assertThatThrownBy(() -> new GuestDnsSettings(self, "banger.internal", List.of(self), Duration.ofSeconds(1), Duration.ofSeconds(5)))
                .isInstanceOf(DnsException.class)
                .hasMessageContaining("loop");
    }

    @Test
    void timeoutAndTtlMustBeSane() {
        assertThatThrownBy(() -> new GuestDnsSettings(LISTEN, "banger.internal", List.of(), Duration.ZERO, Duration.ofSeconds(5)))
                .isInstanceOf(DnsException.class).hasMessageContaining("upstream timeout");
        assertThatThrownBy(() -> new GuestDnsSettings(LISTEN, "banger.internal", List.of(), Duration.ofSeconds(1), Duration.ofMillis(1500)))
                .isInstanceOf(DnsException.class).hasMessageContaining("ttl");
    }
}
