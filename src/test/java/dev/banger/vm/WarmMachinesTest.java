package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.guestconfig.ConfigDrive;
import dev.banger.model.VmInfo;
import dev.banger.store.StoredJson;
import dev.banger.vm.host.HostKeys;
import dev.banger.vm.warm.WarmMachines;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creates that take a machine from the warm pool instead of starting one, on a {@link FakeVmm} that adopts paused machines. */
class WarmMachinesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long GIB = 1L << 30;
    /** The dev image mounts from its config: each VM is told its work disk's mount on its config drive and command line. */
    private static final String WORK_MOUNT = "LABEL=banger-work:/root:ext4:defaults";

    @TempDir
    Path dir;

    private VmFixture fx;
    private VmHost host;
    private VmService service;

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
        fx.vmm.adoptingPausedMachines();
        host = fx.host(2, 1);
        service = fx.service(host, VmFixture.QUICK);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** Fills the pool for creates from the dev image (whose guests read the config drive) at {@code memoryMib}, or the default. */
    private MachineSpec warmFor(Integer memoryMib) {
        assertThat(service.prepareHost(WAIT, VmFixture.DEV_IMAGE, null, memoryMib, 2, false).warmMachines()).isEqualTo(1);
        return fx.vmm.started().getLast();
    }

    private VmInfo create(String name, Integer memoryMib) {
        return create(name, memoryMib, 2);
    }

    private VmInfo create(String name, Integer memoryMib, int diskGib) {
        return service.create(service.plan(new CreateRequest(name, VmFixture.DEV_IMAGE, null, memoryMib, diskGib)),
                new RecordingStages());
    }

    /** The virtual size in a qcow2 header (big-endian, at byte 24). */
    private static long qcow2Size(Path file) throws IOException {
        return java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).getLong(24);
    }

    @Test
    void aCreateBecomesAWarmMachineOfItsShapeWithItsOwnSettingsOnTheConfigDrive() throws IOException {
        MachineSpec warm = warmFor(null);
        assertThat(warm.name()).startsWith("warm-");
        assertThat(warm.memoryMib()).isEqualTo(256);
        assertThat(warm.bootArgs()).doesNotContain("banger.");
        assertThat(warm.drives()).extracting(MachineSpec.Drive::id).containsExactly("root", "work", "config");
        assertThat(warm.drives().get(2).serial()).isEqualTo(ConfigDrive.SERIAL);
        assertThat(warm.drives().get(2).readOnly()).isTrue();

        VmInfo info = create("dev1", null);

        assertThat(fx.vmm.started()).extracting(MachineSpec::name).doesNotContain("dev1");
        assertThat(fx.vmm.events()).containsSubsequence("paused " + warm.name(), "moved dev1", "resumed dev1")
                .noneMatch(event -> event.startsWith("grew"));
        assertThat(info.tap()).isEqualTo(warm.nic().tap());
        Path vmDir = fx.vmDir("dev1");
        assertThat(vmDir.resolve("root.qcow2")).isRegularFile();
        assertThat(qcow2Size(vmDir.resolve("work.qcow2"))).as("made at the size asked for").isEqualTo(2 * GIB);
        assertThat(vmDir.resolve(WarmMachines.STATE_FILE)).doesNotExist();
        byte[] drive = Files.readAllBytes(vmDir.resolve(WarmMachines.CONFIG_FILE));
        assertThat(drive).hasSize(ConfigDrive.SIZE);
        String line = new String(drive, StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        assertThat(line.split(" ")).contains("banger.hostname=dev1", "banger.ip=127.77.0.2/24", "banger.mount=" + WORK_MOUNT,
                "banger.mac=" + fx.store.vms().get("dev1").network().mac());
    }

    @Test
    void thePoolRefillsBehindTheCreateAndTheVmLaterRestartsFromItsOwnDirectory() throws IOException {
        warmFor(null);
        create("dev1", null);

        MachineSpec refill = warmFor(null);
        assertThat(refill.name()).startsWith("warm-");
        assertThat(fx.vmm.started()).hasSize(2);

        service.stop("dev1");
        service.start("dev1");

        MachineSpec restarted = fx.vmm.started().getLast();
        assertThat(restarted.name()).isEqualTo("dev1");
        assertThat(restarted.drives()).extracting(MachineSpec.Drive::path).containsExactly(fx.vmDir("dev1").resolve("root.qcow2"),
                fx.vmDir("dev1").resolve("work.qcow2"), fx.vmDir("dev1").resolve("config.img"));
        assertThat(restarted.bootArgs()).contains("banger.hostname=dev1", "banger.mount=" + WORK_MOUNT);
        // The guest takes the SSH host key the daemon made for the VM from its config drive, at every boot.
        String[] lines = new String(Files.readAllBytes(fx.vmDir("dev1").resolve("config.img")), StandardCharsets.UTF_8).split("\n");
        String key = new String(Base64.getDecoder().decode(lines[1].substring("banger.host_key_ed25519=".length())),
                StandardCharsets.UTF_8);
        assertThat(key).isEqualTo(HostKeys.read(fx.vmDir("dev1").resolve(HostKeys.FILE)).orElseThrow().privateKey());
        assertThat(Files.getPosixFilePermissions(fx.vmDir("dev1").resolve("config.img"))).hasToString("[OWNER_READ, OWNER_WRITE]");
    }

    @Test
    void aBiggerDiskGrowsTheWarmWorkDriveButASmallerOneCannotShrinkIt() {
        warmFor(null);

        create("dev1", null, 3);

        assertThat(fx.vmm.events()).containsSubsequence("moved dev1", "grew dev1 work " + 3 * GIB, "resumed dev1");
        assertThat(fx.vmm.started()).extracting(MachineSpec::name).doesNotContain("dev1");
        assertThat(service.prepareHost(WAIT, VmFixture.DEV_IMAGE, null, null, 3, false).warmMachines()).isEqualTo(1);

        create("dev2", null, 2);

        assertThat(fx.vmm.started()).extracting(MachineSpec::name).contains("dev2");
    }

    @Test
    void aCreateOfAnotherShapeStartsItsOwnMachineAndThePoolTurnsToThatShape() {
        MachineSpec small = warmFor(null);

        create("dev1", 512);

        assertThat(fx.vmm.started()).extracting(MachineSpec::name).contains("dev1");
        MachineSpec bigger = warmFor(512);
        assertThat(bigger.memoryMib()).isEqualTo(512);
        assertThat(fx.vmm.stopped()).extracting(VmmInstance::vmDir).contains(small.vmDir());
        assertThat(small.vmDir()).doesNotExist();
    }

    @Test
    void aCreateThatFailsAfterTakingAWarmMachineStopsItAndGivesItsTapBack() {
        warmFor(null);
        fx.network.answer(List.of("nft", "-f", "-"), 1, "", "Error: Could not process rule: Operation not permitted");

        assertThatThrownBy(() -> create("dev1", null)).hasMessageContaining("NAT");

        assertThat(fx.vmm.events()).doesNotContain("resumed dev1");
        assertThat(fx.vmm.stopped()).extracting(VmmInstance::vmDir).contains(fx.vmDir("dev1"));
        assertThat(fx.vmDir("dev1")).doesNotExist();
        assertThat(fx.store.vms().find("dev1")).isEmpty();
        // Its TAP went back to the pool (deleted when the pool was full): once the pools are full again, the host
        // holds the pool's two and the refilled machine's one, nothing leaked.
        warmFor(null);
        assertThat(fx.taps()).hasSize(3);
    }

    @Test
    void aMachineWhoseImageFilesWereReplacedIsStoppedNotUsed() throws IOException {
        MachineSpec warm = warmFor(null);
        Path rootfs = fx.image.rootfs();
        Path rebuilt = Files.write(rootfs.resolveSibling("rootfs.new"), new byte[1 << 20]);
        Files.move(rebuilt, rootfs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        create("dev1", null);

        assertThat(fx.vmm.started()).extracting(MachineSpec::name).contains("dev1");
        assertThat(fx.vmm.stopped()).extracting(VmmInstance::vmDir).contains(warm.vmDir());
    }

    @Test
    void aDeletedImageTakesItsWaitingMachinesWithItAndThePoolStopsFillingForIt() throws IOException {
        MachineSpec warm = warmFor(null);
        Files.delete(fx.image.rootfs());

        service.imageChanged(VmFixture.DEV_IMAGE);

        assertThat(fx.vmm.stopped()).extracting(VmmInstance::vmDir).containsExactly(warm.vmDir());
        assertThat(service.prepareHost(WAIT, null, null, null, null, false).warmMachines()).as("nothing wanted any more").isZero();
        assertThat(fx.vmm.started()).hasSize(1);
    }

    @Test
    void preparingForAnUnknownImageOrABadSizeIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> service.prepareHost(WAIT, "no-such-image", null, null, null, false))
                .satisfies(e -> assertThat(((dev.banger.model.BangerException) e).kind())
                        .isEqualTo(dev.banger.model.ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> service.prepareHost(WAIT, VmFixture.DEV_IMAGE, 0, null, null, false))
                .hasMessageContaining("vcpus must be 1 to 32, got 0");

        assertThat(fx.vmm.started()).isEmpty();
        assertThat(fx.taps()).isEmpty();
    }

    @Test
    void closingTheHostStopsWaitingMachinesAndGivesTheirTapsBack() {
        MachineSpec warm = warmFor(null);
        assertThat(fx.taps()).hasSize(3);

        host.close();

        assertThat(fx.vmm.stopped()).extracting(VmmInstance::vmDir).containsExactly(warm.vmDir());
        assertThat(warm.vmDir()).doesNotExist();
        assertThat(fx.taps()).as("the pool's warm TAPs stay for the next daemon; the machine's went back").hasSize(2);
    }

    /** What a daemon killed with a machine waiting leaves: its directory, its record, its process. */
    private VmmInstance leftBehind(Path left) throws IOException {
        Files.createDirectories(left);
        VmmInstance running = new VmmInstance(FakeVmm.NAME, 4242, left, left.resolve("agent.sock"),
                VmmInstance.AgentTransport.UNIX_STREAM);
        Files.writeString(left.resolve(WarmMachines.STATE_FILE),
                StoredJson.mapper().writeValueAsString(new WarmMachines.Recorded(running, "tap-pool-7")));
        fx.vmm.adopt(running);
        return running;
    }

    @Test
    void aNewDaemonStopsTheWarmMachinesAKilledOneLeft() throws IOException {
        Path left = fx.stateDir.resolve("warm").resolve("1-1");
        VmmInstance running = leftBehind(left);

        warmFor(null);

        assertThat(fx.vmm.stopped()).containsExactly(running);
        assertThat(left).doesNotExist();
    }

    @Test
    void aNewDaemonWithoutWarmMachinesStillStopsTheOnesAnEarlierOneLeft() throws IOException {
        Path left = fx.stateDir.resolve("warm").resolve("1-1");
        VmmInstance running = leftBehind(left);
        VmService without = fx.service(fx.host(2, 0), VmFixture.QUICK);

        assertThat(without.prepareHost(WAIT, VmFixture.DEV_IMAGE, null, null, 2, false).warmMachines()).isZero();

        assertThat(fx.vmm.stopped()).containsExactly(running);
        assertThat(left).doesNotExist();
    }

    @Test
    void imagesWhoseGuestsDoNotReadAConfigDriveNeverGetWarmMachines() {
        assertThat(service.prepareHost(WAIT, VmFixture.IMAGE, null, null, null, false).warmMachines()).isZero();

        service.create(service.plan(new CreateRequest("dev1", VmFixture.IMAGE, null, null, null)), new RecordingStages());

        assertThat(fx.vmm.started()).extracting(MachineSpec::name).containsExactly("dev1");
    }
}
