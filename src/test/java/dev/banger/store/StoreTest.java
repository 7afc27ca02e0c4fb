package dev.banger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.Ipv4Subnet;
import dev.banger.model.OperationKind;
import dev.banger.model.VmState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir
    Path dir;

    @Test
    void summaryCountsImagesVmsByStateAndRunningOperations() {
        try (Store store = Store.open(dir.resolve("state.db"))) {
            Ipv4Subnet subnet = Ipv4Subnet.parse("172.30.0.0/24");
            store.images().insert(StoreFixtures.image("debian-12"));
            store.vms().create(StoreFixtures.vm("a", "debian-12"), subnet);
            store.vms().create(StoreFixtures.vm("b", "debian-12"), subnet);
            store.vms().create(StoreFixtures.vm("c", "debian-12"), subnet);
            store.vms().updateState("b", VmState.RUNNING);
            store.operations().begin(OperationKind.VM_CREATE, "a", List.of("validate"));

            StoreSummary summary = store.summary();

            assertThat(summary.images()).isEqualTo(1);
            assertThat(summary.vms()).isEqualTo(3);
            assertThat(summary.vmsByState())
                    .containsEntry(VmState.CREATING, 2L)
                    .containsEntry(VmState.RUNNING, 1L)
                    .containsEntry(VmState.STOPPED, 0L);
            assertThat(summary.runningOperations()).isEqualTo(1);
        }
    }
}
