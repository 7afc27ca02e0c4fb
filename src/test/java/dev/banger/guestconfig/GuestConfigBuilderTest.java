package dev.banger.guestconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuestConfigBuilderTest {
    private static final GuestMount WORK = GuestMount.withDefaults("/dev/vdb", "/root", "ext4");

    private static GuestConfigBuilder network() {
        return GuestConfig.builder()
                .hostname("dev1")
                .from("network").address("172.30.0.2/24").gateway("172.30.0.1");
    }

    @Test
    void contributionsFromSeveralCapabilitiesMakeOneConfig() throws Exception {
        GuestConfigBuilder builder = network();
        builder.from("dns").resolver("172.30.0.1").searchDomain("banger.internal");
        builder.from("work-disk").mount(WORK);
        builder.from("serial").kernelArg("loglevel=4");

        GuestConfig config = builder.build();

        assertThat(config.hostname()).isEqualTo("dev1");
        assertThat(config.address()).contains(GuestAddress.parse("172.30.0.2/24"));
        assertThat(config.gateway()).contains((java.net.Inet4Address) InetAddress.getByName("172.30.0.1"));
        assertThat(config.resolvers()).extracting(InetAddress::getHostAddress).containsExactly("172.30.0.1");
        assertThat(config.searchDomain()).contains("banger.internal");
        assertThat(config.mounts()).containsExactly(WORK);
        assertThat(config.kernelArgs()).containsExactly("loglevel=4");
        assertThat(config.iface()).isEmpty();
    }

    @Test
    void twoDifferentAddressesAreAConflictNamingBothContributors() {
        GuestConfigBuilder builder = network();

        assertThatThrownBy(() -> builder.from("static-ip").address("172.30.0.9/24"))
                .isInstanceOfSatisfying(GuestConfigException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("172.30.0.2/24 (from network)")
                .hasMessageContaining("172.30.0.9/24 (from static-ip)");
    }

    @Test
    void theSameValueContributedTwiceIsNoConflict() {
        GuestConfigBuilder builder = network();
        builder.from("other").address("172.30.0.2/24").hostname("dev1").mount(WORK).mount(WORK).resolver("1.1.1.1").resolver("1.1.1.1");

        GuestConfig config = builder.build();

        assertThat(config.mounts()).hasSize(1);
        assertThat(config.resolvers()).hasSize(1);
    }

    @Test
    void twoMountsOnOneMountPointAreAConflictNamingBoth() {
        GuestConfigBuilder builder = network();
        builder.from("work-disk").mount(WORK);

        assertThatThrownBy(() -> builder.from("shared-folder").mount(GuestMount.withDefaults("/dev/vdc", "/root", "xfs")))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("/dev/vdb on /root (ext4, defaults) (from work-disk)")
                .hasMessageContaining("/dev/vdc on /root (xfs, defaults) (from shared-folder)");
    }

    @Test
    void aRefusedContributionChangesNothing() {
        GuestConfigBuilder builder = network();
        builder.from("work-disk").mount(WORK);

        assertThatThrownBy(() -> builder.mount(GuestMount.withDefaults("/dev/vdc", "/root", "xfs"))).isInstanceOf(GuestConfigException.class);

        assertThat(builder.build().mounts()).containsExactly(WORK);
    }

    @Test
    void mountsAreOrderedParentsFirst() {
        GuestMount cache = GuestMount.withDefaults("/dev/vdc", "/root/.cache", "ext4");
        GuestConfigBuilder builder = network();
        builder.from("cache").mount(cache);
        builder.from("work-disk").mount(WORK);

        assertThat(builder.build().mounts()).containsExactly(WORK, cache);
    }

    @Test
    void oneKernelArgumentKeyWithTwoValuesIsAConflict() {
        GuestConfigBuilder builder = network();
        builder.from("quiet").kernelArg("loglevel=1");

        assertThatThrownBy(() -> builder.from("debug").kernelArg("loglevel=8"))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("loglevel=1 (from quiet)")
                .hasMessageContaining("loglevel=8 (from debug)");
    }

    @Test
    void bangerKeysCannotBeSmuggledInAsKernelArguments() {
        assertThatThrownBy(() -> network().kernelArg("banger.ip=10.0.0.5/24"))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("banger.ip")
                .hasMessageContaining("GuestConfigBuilder");
    }

    @Test
    void kernelArgumentsMustBeSingleWords() {
        for (String bad : List.of("", "a b", "quiet\n", "x=\"y\"", "--", "tab\there", "é")) {
            assertThatThrownBy(() -> network().kernelArg(bad)).as(bad).isInstanceOf(GuestConfigException.class);
        }
    }

    @Test
    void gatewayOutsideTheSubnetIsRefusedWhicheverComesFirst() {
        assertThatThrownBy(() -> GuestConfig.builder().hostname("a").address("172.30.0.2/24").gateway("10.0.0.1"))
                .isInstanceOf(GuestConfigException.class).hasMessageContaining("outside the guest's subnet 172.30.0.2/24");
        assertThatThrownBy(() -> GuestConfig.builder().hostname("a").from("gw").gateway("10.0.0.1").address("172.30.0.2/24"))
                .isInstanceOf(GuestConfigException.class).hasMessageContaining("from gw");
        assertThatThrownBy(() -> GuestConfig.builder().hostname("a").address("172.30.0.2/24").gateway("172.30.0.2"))
                .isInstanceOf(GuestConfigException.class).hasMessageContaining("own address");
    }

    @Test
    void gatewayWithoutAnAddressIsRefusedAtBuild() {
        GuestConfigBuilder builder = GuestConfig.builder().hostname("a").gateway("172.30.0.1");

        assertThatThrownBy(builder::build).isInstanceOf(GuestConfigException.class).hasMessageContaining("without a guest address");
    }

    @Test
    void hostnameIsRequiredAndMustBeADnsLabel() {
        assertThatThrownBy(() -> GuestConfig.builder().build()).isInstanceOf(GuestConfigException.class).hasMessageContaining("no hostname");
        for (String bad : List.of("", "Dev1", "-dev", "dev-", "dev_1", "dev.1", "a".repeat(64), "dev 1")) {
            assertThatThrownBy(() -> GuestConfig.builder().hostname(bad)).as(bad)
                    .isInstanceOf(GuestConfigException.class).hasMessageContaining("DNS label");
        }
        assertThat(GuestConfig.builder().hostname("a".repeat(63)).build().hostname()).hasSize(63);
    }

    @Test
    void atMostThreeResolversAsGlibcReadsNoMore() {
        GuestConfigBuilder builder = network().resolver("192.0.2.1").resolver("192.0.2.2").resolver("192.0.2.3");

        assertThatThrownBy(() -> builder.from("vpn").resolver("192.0.2.4"))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("192.0.2.4 (from vpn)");
        assertThat(builder.build().resolvers()).hasSize(3);
    }

    @Test
    void addressesMustBeStrictIpv4Literals() {
        for (String bad : List.of("localhost", "172.30.0", "172.30.0.256", "172.030.0.2", "::1", "172.30.0.2 ")) {
            assertThatThrownBy(() -> network().resolver(bad)).as(bad)
                    .isInstanceOf(GuestConfigException.class).hasMessageContaining("not an IPv4 address");
        }
    }

    @Test
    void searchDomainAndInterfaceAreValidated() {
        assertThatThrownBy(() -> network().searchDomain("bad domain")).isInstanceOf(GuestConfigException.class);
        assertThatThrownBy(() -> network().searchDomain("x..y")).isInstanceOf(GuestConfigException.class);
        assertThatThrownBy(() -> network().iface("a-very-long-interface")).isInstanceOf(GuestConfigException.class);
        assertThat(network().iface("eth0").build().iface()).isEqualTo(Optional.of("eth0"));
    }

    @Test
    void contributorNamesAreShortWords() {
        assertThatThrownBy(() -> GuestConfig.builder().from("two words")).isInstanceOf(GuestConfigException.class);
    }
}
