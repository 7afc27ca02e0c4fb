package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.VmState;
import dev.banger.model.Ipv4Subnet;
import dev.banger.store.NewVm;
import dev.banger.vm.state.VmDirs;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRuntime;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one writer of lifecycle state refuses what the transition table does not allow, and writes nothing then. */
class VmLifecycleTest {
    @TempDir
    Path dir;

    private VmFixture fx;
    private VmLifecycle lifecycle;

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
        lifecycle = new VmLifecycle(fx.store.vms(), Ipv4Subnet.parse(VmFixture.SUBNET), new VmDirs(fx.stateDir));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aNewVmIsCreatingAndMovesOnlyAlongTheTable() {
        assertThat(lifecycle.allocate(new NewVm("dev1", VmFixture.IMAGE, 1, 256, 1L << 30, FakeVmm.NAME)).state())
                .isEqualTo(VmState.CREATING);
        VmRuntime runtime = VmRuntime.empty(fx.vmDir("dev1"));

        assertThat(lifecycle.record("dev1", VmState.RUNNING, 42L, runtime).pid()).isEqualTo(42L);
        assertThat(lifecycle.record("dev1", VmState.DELETING, null, null).state()).isEqualTo(VmState.DELETING);

        assertThatThrownBy(() -> lifecycle.record("dev1", VmState.RUNNING, 43L, runtime))
                .isInstanceOf(VmException.class).hasMessageContaining("is deleting and cannot become running");
        assertThat(fx.store.vms().get("dev1").state()).isEqualTo(VmState.DELETING);
        assertThat(fx.store.vms().get("dev1").pid()).isNull();
    }
}
