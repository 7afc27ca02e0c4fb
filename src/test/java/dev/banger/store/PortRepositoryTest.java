package dev.banger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import dev.banger.model.PortForward;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortRepositoryTest {
    @TempDir
    Path dir;

    private Store store;
    private PortRepository ports;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("state.db"));
        store.images().insert(StoreFixtures.image("debian-12"));
        ports = store.vms().ports();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void createVm(String name, PortForward... publish) {
        store.vms().create(new NewVm(name, "debian-12", 2, 1024, 8L << 30, "qemu", List.of(publish)), StoreFixtures.SUBNET);
    }

    @Test
    void aCreatesForwardsAreRecordedWithItsRowAndSurviveReopening() {
        createVm("dev1", PortForward.loopback(2222, 22), new PortForward("0.0.0.0", 5353, 53, "udp"));
        store.close();

        store = Store.open(dir.resolve("state.db"));

        assertThat(store.vms().ports().of("dev1")).containsExactly(PortForward.loopback(2222, 22),
                new PortForward("0.0.0.0", 5353, 53, "udp"));
        assertThat(store.vms().ports().of("dev2")).isEmpty();
    }

    @Test
    void aCreatePublishingATakenHostPortStoresNothing() {
        createVm("dev1", PortForward.loopback(2222, 22));

        assertThatThrownBy(() -> createVm("dev2", PortForward.loopback(8080, 80), new PortForward("0.0.0.0", 2222, 22, "tcp")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("host port 0.0.0.0:2222/tcp is already published by VM 'dev1'")
                .hasMessageContaining("banger vm port rm dev1 127.0.0.1:2222/tcp");
        assertThat(store.vms().find("dev2")).isEmpty();
        assertThat(ports.holder(PortForward.loopback(8080, 80))).isEmpty();
    }

    @Test
    void addRefusesAHostPortAnotherVmHoldsOnTheSameAddressOrAllButTakesOtherAddressesAndProtocols() {
        createVm("dev1");
        createVm("dev2");
        ports.add("dev1", PortForward.loopback(8080, 80));

        assertThatThrownBy(() -> ports.add("dev2", PortForward.loopback(8080, 81)))
                .hasMessageContaining("already published by VM 'dev1'");
        assertThatThrownBy(() -> ports.add("dev2", new PortForward("0.0.0.0", 8080, 81, "tcp")))
                .hasMessageContaining("already published by VM 'dev1'");
        ports.add("dev2", new PortForward("127.0.0.2", 8080, 80, "tcp"));
        ports.add("dev2", new PortForward("127.0.0.1", 8080, 80, "udp"));

        assertThat(ports.holder(new PortForward("0.0.0.0", 8080, 1, "tcp"))).isPresent();
        assertThat(ports.of("dev2")).hasSize(2);
    }

    @Test
    void aVmPublishesEachGuestPortOnce() {
        createVm("dev1", PortForward.loopback(2222, 22));

        assertThatThrownBy(() -> ports.add("dev1", PortForward.loopback(2223, 22)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("VM 'dev1' already publishes guest port 22/tcp (127.0.0.1:2222:22/tcp)");
        ports.add("dev1", new PortForward("127.0.0.1", 2222, 22, "udp"));
        assertThat(ports.of("dev1")).hasSize(2);
    }

    @Test
    void removeTakesTheHostSideAndNamesWhatToDoWhenNothingMatches() {
        createVm("dev1", PortForward.loopback(2222, 22), PortForward.loopback(8080, 80));

        assertThat(ports.remove("dev1", PortForward.HostSide.parse("2222"))).isEqualTo(PortForward.loopback(2222, 22));
        assertThatThrownBy(() -> ports.remove("dev1", PortForward.HostSide.parse("8080:81")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("VM 'dev1' publishes no 127.0.0.1:8080/tcp to guest port 81")
                .hasMessageContaining("banger vm port list dev1");
        assertThat(ports.of("dev1")).containsExactly(PortForward.loopback(8080, 80));
    }

    @Test
    void forwardsGoWithTheirVmAndTheirPortsAreFreeAgain() {
        createVm("dev1", PortForward.loopback(2222, 22));

        store.vms().delete("dev1");

        assertThat(ports.of("dev1")).isEmpty();
        createVm("dev2", PortForward.loopback(2222, 22));
        assertThat(ports.holder(PortForward.loopback(2222, 22))).contains("dev2");
    }

    @Test
    void addingToAVmThatIsGoneIsNotFound() {
        assertThatThrownBy(() -> ports.add("ghost", PortForward.loopback(2222, 22)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }
}
