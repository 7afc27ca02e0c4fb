package dev.banger.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.Operation;
import dev.banger.model.Stage;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.rpc.Json;
import dev.banger.store.Store;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 of bangerd at the start of each create stage, then a restart: the VM is either running
 * or gone, and nothing of it is left on the host (TAP, NAT rule, loop or mapper device, VM dir,
 * VMM process). One lab (namespace, state, registered image) serves every stage.
 */
@Tag("root")
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreateCrashTest {
    private FaultLab lab;

    @BeforeAll
    void setUp(@TempDir Path tempDir) throws Exception {
        lab = FaultLab.withCachedImage(tempDir, 2);
    }

    @AfterAll
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "kill -9 at the start of {0}")
    @ValueSource(strings = {"validate", "allocate", "root-disk", "work-disk", "network", "capabilities", "vmm-start", "boot",
            "sshd", "services"})
    void daemonKilledDuringACreateStageLeavesTheVmRunningOrGoneWithNothingLeftOver(String stage) throws Exception {
        String name = "crash-" + stage;
        lab.terminateDaemon(Duration.ofSeconds(60));
        lab.startDaemon("vm-create:" + stage);
        Operation begun = lab.beginCreate(name);
        assertThat(begun.stages()).extracting(Stage::name).contains(stage);
        lab.awaitHeld("vm-create", stage, Duration.ofMinutes(2));

        lab.killDaemon();
        lab.startDaemon();

        Optional<VmInfo> vm = lab.vm(name);
        if (vm.isPresent()) {
            assertThat(vm.get().state()).as("a VM that survived the crash runs").isEqualTo(VmState.RUNNING);
            lab.call("vm.delete", java.util.Map.of("names", java.util.List.of(name)), dev.banger.model.VmDeleteResult.class);
        }
        assertThat(lab.vms()).as("VMs after the restart").isEmpty();
        assertThat(lab.leftovers(name, false)).as("left over after kill -9 at %s", stage).isEmpty();
        assertThat(lab.taps()).as("warm TAP pool").hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void vmmLaunchedButNotYetRecordedWhenTheDaemonDiedIsStoppedAtRestart() throws Exception {
        String name = "crash-unrecorded";
        lab.terminateDaemon(Duration.ofSeconds(60));
        lab.startDaemon("vm-create:boot");
        lab.beginCreate(name);
        lab.awaitHeld("vm-create", "boot", Duration.ofMinutes(2));
        lab.killDaemon();
        // What a kill between QEMU's launch and the runtime record leaves: a VMM the row does not name.
        try (Store store = Store.open(lab.sandbox.paths().database())) {
            ObjectNode runtime = (ObjectNode) Json.mapper().readTree(store.vms().runtime(name).orElseThrow());
            runtime.remove("instance");
            store.vms().recordLifecycle(name, VmState.CREATING, null, runtime.toString());
        }
        assertThat(lab.vmm(name)).as("the unrecorded QEMU runs").isPresent();

        lab.startDaemon();

        assertThat(lab.vms()).isEmpty();
        assertThat(lab.leftovers(name, false)).isEmpty();
        assertThat(lab.log()).contains("VM " + name + ": stopped qemu pid");
    }
}
