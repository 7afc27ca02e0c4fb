package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.CommandResult;
import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.model.PortForward;
import dev.banger.model.VmInfo;
import dev.banger.model.VmPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Published ports through the VM lifecycle: checked before anything is made, in the firewall exactly while the VM runs. */
class VmPortForwardsTest {
    private static final String TABLE = "banger-ports-banger0-dev1";
    private static final List<String> DELETE_TABLE = List.of("nft", "delete", "table", "ip", TABLE);

    @TempDir
    Path dir;

    private VmFixture fx;
    private VmService service;
    /** The nft scripts of the ports' tables, in order. */
    private final List<String> scripts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
        fx.network.answer(List.of("nft", "-f", "-"), c -> {
            String script = new String(c.stdin(), StandardCharsets.UTF_8);
            if (script.contains("banger-ports-")) {
                scripts.add(script);
            }
            return new CommandResult(c, 0, "", "", Duration.ZERO);
        });
        service = fx.service(VmFixture.QUICK);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private VmInfo create(String name, PortForward... publish) {
        return service.create(service.plan(new CreateRequest(name, null, null, null, null, false, false, List.of(publish), List.of())),
                new RecordingStages());
    }

    private long deletes() {
        return fx.network.recorded().stream().filter(DELETE_TABLE::equals).count();
    }

    @Test
    void aPublishedPortIsInstalledAtCreateRemovedAtStopPutBackAtStartAndRemovedAtDelete() throws IOException {
        PortForward ssh = PortForward.loopback(freePort(), 22);

        VmInfo created = create("dev1", ssh);

        assertThat(created.ports()).containsExactly(ssh);
        assertThat(scripts).singleElement().asString().contains("table ip " + TABLE + " {",
                "ip daddr 127.0.0.1 tcp dport " + ssh.hostPort() + " dnat to " + created.ip() + ":22");
        assertThat(fx.network.recorded()).contains(List.of("sysctl", "-q", "-w", "net/ipv4/conf/banger0/route_localnet=1"));

        service.stop("dev1");
        assertThat(deletes()).isEqualTo(1);

        service.start("dev1");
        assertThat(scripts).hasSize(2);
        assertThat(service.info("dev1").ports()).containsExactly(ssh);

        service.delete(List.of("dev1"));
        assertThat(deletes()).isEqualTo(2);
        assertThat(fx.store.vms().ports().of("dev1")).isEmpty();
    }

    @Test
    void aVmThatPublishesNothingRunsNoPortCommandAtAll() {
        create("dev1");
        service.stop("dev1");
        service.delete(List.of("dev1"));

        assertThat(scripts).isEmpty();
        assertThat(fx.network.recorded()).noneMatch(argv -> String.join(" ", argv).contains("banger-ports")
                || String.join(" ", argv).contains("route_localnet"));
    }

    @Test
    void aCreatePublishingAPortAProgramHoldsIsRefusedBeforeAnythingIsMade() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            PortForward forward = PortForward.loopback(taken.getLocalPort(), 22);

            assertThatThrownBy(() -> service.plan(new CreateRequest("dev1", null, null, null, null, false, false, List.of(forward), List.of())))
                    .isInstanceOfSatisfying(BangerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                    .hasMessageContaining("host port 127.0.0.1:" + taken.getLocalPort() + "/tcp is in use on this host");
        }
        assertThat(fx.store.vms().find("dev1")).isEmpty();
        assertThat(fx.network.recorded()).isEmpty();
    }

    @Test
    void aCreatePublishingAnotherVmsPortOrOneGuestPortTwiceIsRefusedAtPlan() throws IOException {
        PortForward ssh = PortForward.loopback(freePort(), 22);
        create("dev1", ssh);

        assertThatThrownBy(() -> service.plan(new CreateRequest("dev2", null, null, null, null, false, false,
                List.of(new PortForward("0.0.0.0", ssh.hostPort(), 2222, "tcp")), List.of())))
                .isInstanceOfSatisfying(BangerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("is already published by VM 'dev1'");
        assertThatThrownBy(() -> service.plan(new CreateRequest("dev2", null, null, null, null, false, false,
                List.of(PortForward.loopback(freePort(), 80), PortForward.loopback(freePort() + 1, 80)), List.of())))
                .isInstanceOfSatisfying(BangerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("publish one guest port twice");
    }

    @Test
    void addAndRmOnARunningVmChangeTheFirewallAtOnce() throws IOException {
        create("dev1");
        PortForward web = PortForward.loopback(freePort(), 80);

        VmPorts added = service.ports().add("dev1", web);

        assertThat(added.active()).isTrue();
        assertThat(added.ports()).containsExactly(web);
        assertThat(scripts).singleElement().asString().contains("dport " + web.hostPort() + " dnat to");

        VmPorts removed = service.ports().remove("dev1", PortForward.HostSide.parse(Integer.toString(web.hostPort())));

        assertThat(removed.ports()).isEmpty();
        assertThat(deletes()).isEqualTo(1);
        assertThat(service.ports().list("dev1").ports()).isEmpty();
    }

    @Test
    void addOnAStoppedVmOnlyRecordsItAndItsStartInstallsIt() throws IOException {
        create("dev1");
        service.stop("dev1");
        PortForward web = PortForward.loopback(freePort(), 80);

        VmPorts added = service.ports().add("dev1", web);

        assertThat(added.active()).isFalse();
        assertThat(scripts).isEmpty();
        service.start("dev1");
        assertThat(scripts).singleElement().asString().contains("dport " + web.hostPort() + " dnat to");
    }

    @Test
    void addOfAPortAProgramHoldsOnARunningVmIsRefusedAndNothingIsRecorded() throws IOException {
        create("dev1");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> service.ports().add("dev1", PortForward.loopback(taken.getLocalPort(), 80)))
                    .isInstanceOfSatisfying(BangerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        }
        assertThat(service.ports().list("dev1").ports()).isEmpty();
        assertThat(scripts).isEmpty();
    }

    @Test
    void rmOfAForwardTheVmDoesNotHaveIsNotFound() {
        create("dev1");

        assertThatThrownBy(() -> service.ports().remove("dev1", PortForward.HostSide.parse("2222")))
                .isInstanceOfSatisfying(BangerException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("VM 'dev1' publishes no 127.0.0.1:2222/tcp");
    }

    @Test
    void aDaemonRestartPutsBackTheForwardsOfRunningVms() throws IOException {
        PortForward ssh = PortForward.loopback(freePort(), 22);
        create("dev1", ssh);

        fx.service(VmFixture.QUICK).reconciler().reconcileAndStart();

        assertThat(scripts).hasSize(2);
        assertThat(scripts.get(1)).isEqualTo(scripts.get(0));
    }

    @Test
    void aVmmThatDiesTakesItsForwardsOutOfTheFirewall() throws IOException {
        create("dev1", PortForward.loopback(freePort(), 22));
        VmmWatch watch = service.watch(name -> { });
        fx.vmm.kill(fx.runtime("dev1").instance());

        watch.sweep();

        assertThat(deletes()).isEqualTo(1);
    }

    @Test
    void aCreateRolledBackAfterItsForwardsWentInTakesThemOutAndFreesThePort() throws IOException {
        PortForward ssh = PortForward.loopback(freePort(), 22);
        fx.vmm.failNextStart();

        assertThatThrownBy(() -> create("dev1", ssh)).isInstanceOf(RuntimeException.class);

        assertThat(scripts).hasSize(1);
        assertThat(deletes()).isEqualTo(1);
        assertThat(fx.store.vms().ports().holder(ssh)).isEmpty();
    }
}
