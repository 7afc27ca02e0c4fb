package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.Deadline;
import dev.banger.model.ImageSnapshot;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.vm.create.CreatePlan;
import dev.banger.vm.create.LaunchPath;
import dev.banger.vm.host.HostKeys;
import dev.banger.vm.snapshot.GoldenSnapshots;
import dev.banger.vmm.MachineSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Creates that restore a golden snapshot: the snapshot made from a booted golden machine, restored
 * VMs that each take their own identity before their TAP joins the bridge, the fall back to a cold
 * boot when a snapshot does not load, and the rollback when a guest refuses its identity.
 */
class VmRestoreTest {
    @TempDir
    Path dir;

    private VmFixture fx;
    private VmService service;
    private VmHost host;

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
        fx.vmm.savingSnapshots();
        host = fx.host(2);
        service = fx.service(host, VmFixture.QUICK);
        service.snapshots().enable(() -> "agent-1");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private ImageSnapshot makeSnapshot() {
        return service.snapshots().make(service.snapshotRequest(VmFixture.DEV_IMAGE, null, null), new RecordingStages());
    }

    private CreatePlan plan(String name) {
        return service.plan(new CreateRequest(name, VmFixture.DEV_IMAGE, null, null, null));
    }

    @Test
    void aSnapshotIsAGoldenMachineBootedWithoutAnyVmsIdentitySavedAndItsDisksFrozen() throws IOException {
        RecordingStages stages = new RecordingStages();

        ImageSnapshot made = service.snapshots().make(service.snapshotRequest(VmFixture.DEV_IMAGE, null, null), stages);

        assertThat(stages.done()).containsExactly("prepare", "boot", "save", "freeze");
        assertThat(made.vcpus()).isEqualTo(1);
        assertThat(made.memoryMib()).isEqualTo(256);
        assertThat(made.agentVersion()).isEqualTo("agent-1");
        MachineSpec golden = fx.vmm.started().getLast();
        assertThat(golden.bootArgs()).doesNotContain("banger.ip", "banger.hostname");
        Path snapshots = GoldenSnapshots.root(fx.image);
        try (var dirs = Files.list(snapshots)) {
            Path saved = dirs.findFirst().orElseThrow();
            assertThat(Files.getPosixFilePermissions(saved.resolve("state"))).hasToString("[OWNER_READ, OWNER_WRITE]");
            assertThat(Files.getPosixFilePermissions(saved.resolve("root.img"))).hasToString("[OWNER_READ]");
            assertThat(Files.getPosixFilePermissions(saved.resolve("work.ext4"))).hasToString("[OWNER_READ]");
            // The golden guest is told only to mount its work disk on /root, which it must have before it is saved.
            String firstLine = new String(Files.readAllBytes(saved.resolve("config.img")), StandardCharsets.UTF_8).lines().findFirst()
                    .orElseThrow();
            assertThat(firstLine).isEqualTo("banger.mount=LABEL=banger-work:/root:ext4:defaults");
        }
        assertThat(fx.ran(List.of("ip", "link", "set", "dev", golden.nic().tap(), "nomaster"))).hasSize(1);
        assertThat(fx.stateDir.resolve("warm")).isEmptyDirectory();
        assertThat(service.snapshots().list(fx.store.images().get(VmFixture.DEV_IMAGE))).containsExactly(made);
    }

    @Test
    void twoRestoredVmsEachTakeTheirOwnIdentityBeforeTheirTapJoinsTheBridge() {
        makeSnapshot();
        RecordingStages stages = new RecordingStages();

        CreatePlan plan = plan("r1");
        VmInfo r1 = service.create(plan, stages);
        VmInfo r2 = service.create(plan("r2"), new RecordingStages());

        assertThat(plan.launch()).isInstanceOf(LaunchPath.Restore.class);
        assertThat(stages.done()).containsExactlyInAnyOrderElementsOf(plan.stages()).contains("restore", "identity")
                .doesNotContain("vmm-start", "boot");
        assertThat(r1.state()).isEqualTo(VmState.RUNNING);
        Map<String, String> one = identityOf(r1);
        Map<String, String> two = identityOf(r2);
        assertThat(one).containsEntry("hostname", "r1").containsEntry("mac", r1.mac()).containsEntry("grow_root", "no");
        assertThat(one.get("address")).startsWith(r1.ip() + "/");
        for (String field : List.of("hostname", "address", "mac", "machine_id", "entropy", "host_key_ed25519_pub")) {
            assertThat(one.get(field)).as(field).isNotEqualTo(two.get(field));
        }
        assertThat(one.get("host_key_ed25519_pub")).isEqualTo(HostKeys.read(fx.vmDir("r1").resolve(HostKeys.FILE)).orElseThrow()
                .publicKey());
        assertThat(fx.runtime("r1").hostKeys()).containsExactly(one.get("host_key_ed25519_pub") + " root@guest");
        assertThat(fx.runtime("r1").restoredFrom()).isNotNull();
        List<List<String>> tapMoves = fx.ran(List.of("ip", "link", "set", "dev", r1.tap()));
        assertThat(tapMoves.get(tapMoves.size() - 2)).as("off the bridge while restored").contains("nomaster");
        assertThat(tapMoves.getLast()).as("back on it once the identity is taken").contains("master", "banger0");
        assertThat(fx.vmm.events()).contains("restored r1").noneMatch(event -> event.startsWith("grew r1"));
    }

    @Test
    void aRestoredVmAskingALargerDiskThanTheSnapshotsIsGrownOnceItRuns() {
        makeSnapshot(); // its /root is the [vm] disk size, 1 GiB here

        VmInfo larger = service.create(service.plan(new CreateRequest("big", VmFixture.DEV_IMAGE, null, null, 2)),
                new RecordingStages());

        assertThat(fx.vmm.events()).contains("restored big", "grew big work " + (2L << 30));
        assertThat(identityOf(larger)).containsEntry("grow_root", "yes");
        assertThat(fx.runtime("big").restoredFrom()).isNotNull();
    }

    @Test
    void aSnapshotThatDoesNotLoadIsRetiredAndTheCreateBootsColdSayingSoInItsStages() {
        makeSnapshot();
        fx.vmm.failNextRestore();
        RecordingStages stages = new RecordingStages();

        VmInfo created = service.create(plan("r1"), stages);

        assertThat(created.state()).isEqualTo(VmState.RUNNING);
        assertThat(stages.failed()).containsKey("restore");
        assertThat(stages.failed().get("restore")).contains("did not restore", "could not load");
        assertThat(stages.done()).contains("vmm-start", "boot", "sshd");
        assertThat(service.snapshots().list(fx.store.images().get(VmFixture.DEV_IMAGE))).isEmpty();
        assertThat(fx.runtime("r1").restoredFrom()).isNull();
        assertThat(fx.vmDir("r1").resolve("root.img")).exists();
    }

    @Test
    void aGuestThatRefusesItsIdentityIsRolledBackCompletely() {
        makeSnapshot();
        fx.vmm.failIdentities(new FakeAgent.IdentityFailure(500, "apply: /usr/local/sbin/banger-identity-apply exited with 1"));
        RecordingStages stages = new RecordingStages();

        assertThatThrownBy(() -> service.create(plan("r1"), stages)).hasMessageContaining("banger-identity-apply exited with 1");

        assertThat(stages.failed()).containsOnlyKeys("identity");
        assertThat(stages.rolledBackStages()).contains("restore", "network", "root-disk", "work-disk", "allocate");
        assertThat(fx.vmm.stopped()).hasSize(2); // the golden machine, then the restored one
        assertThat(fx.store.vms().find("r1")).isEmpty();
        assertThat(fx.vmDir("r1")).doesNotExist();
        assertThat(service.snapshots().list(fx.store.images().get(VmFixture.DEV_IMAGE))).as("the snapshot is not to blame").hasSize(1);
    }

    @Test
    void aDeletedSnapshotKeepsItsFilesWhileAVmRestoredFromItRemains() {
        makeSnapshot();
        service.create(plan("r1"), new RecordingStages());
        Path used = fx.runtime("r1").restoredFrom();

        List<ImageSnapshot> deleted = service.snapshots().delete(fx.store.images().get(VmFixture.DEV_IMAGE), null, null);

        assertThat(deleted).hasSize(1);
        assertThat(used).exists();
        service.delete(List.of("r1"));
        assertThat(used).doesNotExist();
    }

    @Test
    void stoppingTheDaemonStopsAGoldenMachineBeingMadeAndLeavesNoDirectoryBehind() throws Exception {
        fx.vmm.health(vm -> null); // the golden guest never gets ready
        VmSnapshots.MakeRequest request = service.snapshotRequest(VmFixture.DEV_IMAGE, null, null);
        CompletableFuture<ImageSnapshot> making = CompletableFuture.supplyAsync(() -> service.snapshots().make(request,
                new RecordingStages()));
        assertThat(Deadline.after(Duration.ofSeconds(10)).await(() -> !fx.vmm.started().isEmpty(), Duration.ofMillis(10))).isTrue();

        host.close();

        assertThatThrownBy(making::join).hasCauseInstanceOf(RuntimeException.class);
        assertThat(fx.vmm.stopped()).hasSize(1);
        assertThat(fx.stateDir.resolve("warm")).isEmptyDirectory();
        assertThat(service.snapshots().list(fx.store.images().get(VmFixture.DEV_IMAGE))).isEmpty();
    }

    private Map<String, String> identityOf(VmInfo vm) {
        return fx.vmm.agent(fx.runtime(vm.name()).instance().pid()).identities().getLast();
    }
}
