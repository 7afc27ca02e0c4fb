package dev.banger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import dev.banger.model.Ipv4Subnet;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmRepositoryTest {
    private static final Ipv4Subnet SUBNET = Ipv4Subnet.parse("172.30.0.0/24");
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00.456Z");

    @TempDir
    Path dir;

    private Path db;
    private Store store;
    private VmRepository vms;

    @BeforeEach
    void open() {
        db = dir.resolve("state.db");
        store = Store.open(db, Clock.fixed(NOW, ZoneOffset.UTC));
        store.images().insert(StoreFixtures.image("debian-12"));
        vms = store.vms();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aGuardedLifecycleWriteHappensOnlyFromTheGivenStatesAndLeavesTheRowAloneOtherwise() {
        vms.create(StoreFixtures.vm("dev1", "debian-12"), SUBNET);

        assertThat(vms.recordLifecycleIf("dev1", EnumSet.of(VmState.STOPPED), VmState.RUNNING, 42L, "{\"a\":1}")).isEmpty();
        assertThat(vms.get("dev1").state()).isEqualTo(VmState.CREATING);
        assertThat(vms.get("dev1").pid()).isNull();
        assertThat(vms.runtime("dev1")).isEmpty();

        Optional<Vm> written = vms.recordLifecycleIf("dev1", EnumSet.of(VmState.CREATING, VmState.STOPPED), VmState.RUNNING, 42L,
                "{\"a\":1}");

        assertThat(written).map(Vm::state).contains(VmState.RUNNING);
        assertThat(written).map(Vm::pid).contains(42L);
        assertThat(vms.runtime("dev1")).contains("{\"a\":1}");
        assertThat(vms.recordLifecycleIf("ghost", EnumSet.allOf(VmState.class), VmState.RUNNING, null, null)).isEmpty();
    }

    @Test
    void createStoresTheVmWithTheFirstGuestAddressItsMacAndCidThree() {
        Vm vm = vms.create(StoreFixtures.vm("dev1", "debian-12"), SUBNET);

        assertThat(vm.name()).isEqualTo("dev1");
        assertThat(vm.image()).isEqualTo("debian-12");
        assertThat(vm.state()).isEqualTo(VmState.CREATING);
        assertThat(vm.vcpus()).isEqualTo(2);
        assertThat(vm.memoryMib()).isEqualTo(1024);
        assertThat(vm.diskBytes()).isEqualTo(8L << 30);
        assertThat(vm.vmm()).isEqualTo("firecracker");
        assertThat(vm.pid()).isNull();
        assertThat(vm.network().ip()).isEqualTo("172.30.0.2");
        assertThat(vm.network().mac()).isEqualTo("02:bf:ac:1e:00:02");
        assertThat(vm.network().vsockCid()).isEqualTo(3);
        assertThat(vm.createdAt()).isEqualTo(NOW);
        assertThat(vms.get("dev1")).isEqualTo(vm);
    }

    @Test
    void concurrentCreatesAllSucceedWithDistinctAddresses() throws Exception {
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Vm>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String name = "vm" + i;
                Callable<Vm> create = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return vms.create(StoreFixtures.vm(name, "debian-12"), SUBNET);
                };
                futures.add(pool.submit(create));
            }
            start.countDown();
            List<Vm> created = new ArrayList<>();
            for (Future<Vm> future : futures) {
                created.add(future.get(60, TimeUnit.SECONDS));
            }

            assertThat(created).extracting(v -> v.network().ip()).doesNotHaveDuplicates();
            assertThat(created).extracting(v -> v.network().mac()).doesNotHaveDuplicates();
            assertThat(created).extracting(v -> v.network().vsockCid()).doesNotHaveDuplicates();
            // Lowest-first allocation leaves no holes: exactly .2-.33 and CIDs 3-34.
            assertThat(created).extracting(v -> Ipv4Subnet.parseAddress(v.network().ip()) - SUBNET.firstGuest())
                    .containsExactlyInAnyOrderElementsOf(range(0, threads));
            assertThat(created).extracting(v -> (int) v.network().vsockCid() - 3)
                    .containsExactlyInAnyOrderElementsOf(range(0, threads));
            assertThat(vms.list()).hasSize(threads);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void duplicateNameIsAConflictNamingTheClash() {
        vms.create(StoreFixtures.vm("dev1", "debian-12"), SUBNET);

        assertThatThrownBy(() -> vms.create(StoreFixtures.vm("dev1", "debian-12"), SUBNET))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("cannot create VM 'dev1'")
                .hasMessageContaining("a VM with that name already exists")
                .hasMessageContaining("vms.name");
        assertThat(vms.list()).hasSize(1);
        // The failed attempt allocated nothing: the next VM gets the next address.
        assertThat(vms.create(StoreFixtures.vm("dev2", "debian-12"), SUBNET).network().ip()).isEqualTo("172.30.0.3");
    }

    @Test
    void deletedVmsFreeTheirAddressesForReuse() {
        vms.create(StoreFixtures.vm("a", "debian-12"), SUBNET);
        Vm b = vms.create(StoreFixtures.vm("b", "debian-12"), SUBNET);
        vms.create(StoreFixtures.vm("c", "debian-12"), SUBNET);

        assertThat(vms.delete("b")).isTrue();
        Vm d = vms.create(StoreFixtures.vm("d", "debian-12"), SUBNET);

        assertThat(d.network()).isEqualTo(b.network());
        assertThat(vms.delete("b")).isFalse();
    }

    @Test
    void exhaustedSubnetIsAPreconditionFailureAndStoresNothing() {
        Ipv4Subnet small = Ipv4Subnet.parse("10.9.0.0/30"); // one guest address
        vms.create(StoreFixtures.vm("a", "debian-12"), small);

        assertThatThrownBy(() -> vms.create(StoreFixtures.vm("b", "debian-12"), small))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED))
                .hasMessageContaining("no free IP address left in subnet 10.9.0.0/30");
        assertThat(vms.find("b")).isEmpty();
    }

    @Test
    void invalidSpecIsRejectedBeforeAnythingIsStored() {
        assertThatThrownBy(() -> vms.create(StoreFixtures.vm("Dev_1", "debian-12"), SUBNET))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("VM name 'Dev_1' is invalid");
        assertThatThrownBy(() -> vms.create(new NewVm("ok", "debian-12", 0, 1024, 1, "qemu"), SUBNET))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("at least 1 vCPU");
        assertThatThrownBy(() -> vms.create(StoreFixtures.vm("a".repeat(64), "debian-12"), SUBNET))
                .isInstanceOf(StoreException.class);
        assertThat(vms.list()).isEmpty();
    }

    @Test
    void unknownImageIsNotFound() {
        assertThatThrownBy(() -> vms.create(StoreFixtures.vm("dev1", "arch"), SUBNET))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("image 'arch' not found");
        assertThat(vms.list()).isEmpty();
    }

    @Test
    void missingVmIsNotFound() {
        assertThat(vms.find("ghost")).isEmpty();
        for (Runnable call : List.<Runnable>of(
                () -> vms.get("ghost"),
                () -> vms.updateState("ghost", VmState.RUNNING),
                () -> vms.updatePid("ghost", 12L))) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                    .hasMessageContaining("VM 'ghost' not found");
        }
    }

    @Test
    void stateAndPidUpdatesAreStored() {
        vms.create(StoreFixtures.vm("dev1", "debian-12"), SUBNET);

        vms.updatePid("dev1", 4242L);
        Vm running = vms.updateState("dev1", VmState.RUNNING);
        assertThat(running.state()).isEqualTo(VmState.RUNNING);
        assertThat(running.pid()).isEqualTo(4242L);

        Vm stopped = vms.updatePid("dev1", null);
        assertThat(stopped.pid()).isNull();
        assertThat(vms.get("dev1").state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void unknownStateTextIsACorruptRowNamingTableRowAndColumn() throws Exception {
        vms.create(StoreFixtures.vm("dev1", "debian-12"), SUBNET);
        RawSql.exec(db, "UPDATE vms SET state = 'zombie' WHERE name = 'dev1'");

        assertThatThrownBy(() -> vms.get("dev1"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL))
                .hasMessageContaining("corrupt row in table 'vms'")
                .hasMessageContaining("name 'dev1'")
                .hasMessageContaining("column 'state'")
                .hasMessageContaining("'zombie'")
                .hasMessageContaining("expected one of creating, running, stopped, failed, deleting");
        assertThatThrownBy(() -> vms.list()).hasMessageContaining("column 'state'");
        assertThatThrownBy(() -> store.summary()).hasMessageContaining("'zombie'");
    }

    @Test
    void nonNumericNumberIsACorruptRowRatherThanZero() throws Exception {
        vms.create(StoreFixtures.vm("dev1", "debian-12"), SUBNET);
        RawSql.exec(db, "UPDATE vms SET memory_mib = 'lots' WHERE name = 'dev1'");

        assertThatThrownBy(() -> vms.get("dev1"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL))
                .hasMessageContaining("corrupt row in table 'vms'")
                .hasMessageContaining("name 'dev1'")
                .hasMessageContaining("column 'memory_mib' holds text 'lots' where a whole number is expected");
    }

    @Test
    void malformedIpIsACorruptRowOfTheAllocationTable() throws Exception {
        vms.create(StoreFixtures.vm("dev1", "debian-12"), SUBNET);
        RawSql.exec(db, "UPDATE vm_allocations SET ip = '172.30.0.300'");

        assertThatThrownBy(() -> vms.get("dev1"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL))
                .hasMessageContaining("corrupt row in table 'vm_allocations'")
                .hasMessageContaining("name 'dev1'")
                .hasMessageContaining("column 'ip'")
                .hasMessageContaining("holds '172.30.0.300', which is not a dotted-quad IPv4 address");
        // Allocation refuses to guess around a row it cannot read.
        assertThatThrownBy(() -> vms.create(StoreFixtures.vm("dev2", "debian-12"), SUBNET))
                .hasMessageContaining("column 'ip'")
                .hasMessageContaining("VM 'dev1'");
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> values = new ArrayList<>();
        for (int i = from; i < to; i++) {
            values.add(i);
        }
        return values;
    }
}
