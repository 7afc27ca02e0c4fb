package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.vm.create.CreatePlan;
import dev.banger.vm.create.LaunchPath;
import dev.banger.vmm.MachineSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm machines that wait with a golden snapshot loaded: the pool fills with them once the shape
 * has a snapshot, a create takes one as the VM (no load of its own, the identity as for any
 * restore), and they go when their snapshot is retired or when a create that took one rolls back.
 */
class WarmRestoresTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private VmFixture fx;
    private VmService service;

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
        fx.vmm.savingSnapshots().adoptingPausedMachines().openingQcow2();
        service = fx.service(fx.host(2, 1), VmFixture.QUICK);
        service.snapshots().enable(() -> "agent-1");
        service.snapshots().make(service.snapshotRequest(VmFixture.DEV_IMAGE, null, null), new RecordingStages());
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** Fills the pool for creates of the default shape; returns the spec the waiting machine was restored with. */
    private MachineSpec warmRestored() {
        assertThat(service.prepareHost(WAIT, VmFixture.DEV_IMAGE, null, null, null, false).warmMachines()).isEqualTo(1);
        return fx.vmm.restored().getLast();
    }

    private CreatePlan plan(String name) {
        return service.plan(new CreateRequest(name, VmFixture.DEV_IMAGE, null, null, null));
    }

    @Test
    void aCreateTakesAMachineThatWaitedWithTheSnapshotLoadedAndGivesItTheVmsIdentity() {
        MachineSpec waiting = warmRestored();
        assertThat(waiting.name()).startsWith("warm-");
        assertThat(fx.ran(List.of("ip", "link", "set", "dev", waiting.nic().tap(), "nomaster"))).as("off the bridge while it waits")
                .hasSize(1);
        RecordingStages stages = new RecordingStages();

        CreatePlan plan = plan("r1");
        VmInfo r1 = service.create(plan, stages);

        assertThat(plan.launch()).isInstanceOfSatisfying(LaunchPath.Restore.class, restore -> assertThat(restore.warm()).isNotNull());
        assertThat(stages.done()).contains("restore", "identity", "sshd").doesNotContain("vmm-start", "boot");
        assertThat(r1.state()).isEqualTo(VmState.RUNNING);
        assertThat(r1.tap()).isEqualTo(waiting.nic().tap());
        assertThat(fx.vmm.events()).contains("moved r1").doesNotContain("restored r1");
        Map<String, String> identity = fx.vmm.agent(fx.runtime("r1").instance().pid()).identities().getLast();
        assertThat(identity).containsEntry("hostname", "r1").containsEntry("mac", r1.mac()).containsEntry("grow_root", "no");
        assertThat(fx.runtime("r1").restoredFrom()).isNotNull();
        assertThat(fx.vmDir("r1").resolve("config.img")).isRegularFile();
        List<List<String>> tapMoves = fx.ran(List.of("ip", "link", "set", "dev", r1.tap()));
        assertThat(tapMoves.getLast()).as("on the bridge once the identity is taken").contains("master", "banger0");
    }

    @Test
    void aLargerDiskIsGrownWhileTheTakenMachineIsStillPaused() {
        warmRestored();

        service.create(service.plan(new CreateRequest("big", VmFixture.DEV_IMAGE, null, null, 2)), new RecordingStages());

        assertThat(fx.vmm.events()).contains("moved big", "grew big work " + (2L << 30));
        assertThat(fx.vmm.events().stream().filter(e -> e.startsWith("grew big"))).hasSize(1);
        assertThat(fx.vmm.agent(fx.runtime("big").instance().pid()).identities().getLast()).containsEntry("grow_root", "yes");
    }

    @Test
    void retiringTheSnapshotStopsTheMachinesThatWaitWithItAndPutsTheirTapsBack() {
        MachineSpec waiting = warmRestored();
        int stoppedBefore = fx.vmm.stopped().size();

        service.snapshots().delete(fx.store.images().get(VmFixture.DEV_IMAGE), null, null);

        assertThat(fx.vmm.stopped()).hasSize(stoppedBefore + 1);
        assertThat(fx.ran(List.of("ip", "link", "set", "dev", waiting.nic().tap())).getLast()).contains("master", "banger0");
        assertThat(plan("r1").launch()).as("no snapshot left to restore").isNotInstanceOf(LaunchPath.Restore.class);
    }

    @Test
    void aTakenMachineWhoseGuestRefusesItsIdentityIsStoppedAndItsTapReturned() {
        MachineSpec waiting = warmRestored();
        fx.vmm.failIdentities(new FakeAgent.IdentityFailure(500, "apply: hostname refused"));
        // The machine waiting now was restored before identities failed: make the pool's next one the one taken.
        service.snapshots().delete(fx.store.images().get(VmFixture.DEV_IMAGE), null, null);
        service.snapshots().make(service.snapshotRequest(VmFixture.DEV_IMAGE, null, null), new RecordingStages());
        MachineSpec refusing = warmRestored();
        assertThat(refusing.vmDir()).isNotEqualTo(waiting.vmDir());
        RecordingStages stages = new RecordingStages();

        assertThatThrownBy(() -> service.create(plan("r1"), stages)).hasMessageContaining("hostname refused");

        assertThat(stages.failed()).containsOnlyKeys("identity");
        assertThat(stages.rolledBackStages()).contains("restore", "network", "allocate");
        assertThat(fx.store.vms().find("r1")).isEmpty();
        assertThat(fx.vmDir("r1")).doesNotExist();
        assertThat(fx.ran(List.of("ip", "link", "set", "dev", refusing.nic().tap())).getLast()).contains("master", "banger0");
    }

    @Test
    void aColdPreparationFillsThePoolWithBootingMachinesInstead() {
        int restoredBefore = fx.vmm.restored().size();

        assertThat(service.prepareHost(WAIT, VmFixture.DEV_IMAGE, null, null, null, true).warmMachines()).isEqualTo(1);

        assertThat(fx.vmm.restored()).hasSize(restoredBefore);
        assertThat(fx.vmm.started().getLast().name()).startsWith("warm-");
    }
}
