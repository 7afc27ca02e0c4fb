package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.banger.host.disk.Ext4Tool;
import dev.banger.host.net.NatHandles;
import dev.banger.host.net.NetworkPlanner;
import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.model.ImageStatus;
import dev.banger.model.Ipv4Subnet;
import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.store.StoredJson;
import dev.banger.vm.boot.BootDeadlines;
import dev.banger.vm.create.CreatePlan;
import dev.banger.vm.state.VmException;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmServiceTest {
    private static final long GIB = 1L << 30;
    private static final BootDeadlines SHORT = new BootDeadlines(Duration.ofMillis(400), Duration.ofMillis(400), Duration.ofMillis(400));
    private static final List<String> ROLLED_BACK_BEFORE_START = List.of("capabilities", "network", "work-disk", "root-disk", "allocate");

    @TempDir
    Path dir;

    private VmFixture fx;
    private VmService service;

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
        service = fx.service(VmFixture.QUICK);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private VmInfo create(String name) {
        return service.create(service.plan(new CreateRequest(name, null, null, null, null)), new RecordingStages());
    }

    private static ErrorKind kindOf(Throwable e) {
        assertThat(e).isInstanceOf(BangerException.class);
        return ((BangerException) e).kind();
    }

    @Test
    void createRunsEveryStageInOrderAndLeavesARunningVmWithItsDisksTapAndPinnedHostKeys() {
        RecordingStages stages = new RecordingStages();

        CreatePlan plan = service.plan(new CreateRequest("dev1", null, null, null, null));
        VmInfo info = service.create(plan, stages);

        // Root disk, work disk and network run side by side, so they end in any order.
        assertThat(plan.stages()).containsExactly("validate", "allocate", "root-disk", "work-disk", "network", "capabilities",
                "vmm-start", "boot", "sshd", "services", "shares");
        assertThat(stages.done()).containsExactlyInAnyOrderElementsOf(plan.stages());
        assertThat(stages.done().subList(0, 2)).containsExactly("validate", "allocate");
        assertThat(stages.done().subList(2, 5)).containsExactlyInAnyOrder("root-disk", "work-disk", "network");
        assertThat(stages.done().subList(5, plan.stages().size())).containsExactlyElementsOf(plan.stages().subList(5, plan.stages().size()));
        assertThat(stages.rolledBackStages()).isEmpty();
        assertThat(info.state()).isEqualTo(VmState.RUNNING);
        assertThat(info.ip()).isEqualTo("127.77.0.2");
        assertThat(info.tap()).isEqualTo("tap-pool-0");
        assertThat(fx.taps()).containsExactly("tap-pool-0");
        MachineSpec spec = fx.vmm.started().getFirst();
        assertThat(info.pid()).isNotNull();
        assertThat(fx.store.vms().get("dev1").pid()).isEqualTo(info.pid());
        assertThat(spec.nic().tap()).isEqualTo("tap-pool-0");
        assertThat(spec.drives()).extracting(MachineSpec.Drive::id).containsExactly("root", "work");
        assertThat(spec.drives()).extracting(MachineSpec.Drive::path)
                .containsExactly(fx.vmDir("dev1").resolve("root.img"), fx.vmDir("dev1").resolve("work.ext4"));
        assertThat(spec.bootArgs()).contains("banger.hostname=dev1").contains("127.77.0.2/24")
                .as("an image without mountsFromConfig mounts /root from its fstab").doesNotContain("banger.mount=");
        assertThat(fx.vmDir("dev1").resolve("root.img")).isRegularFile();
        assertThat(new Ext4Tool(fx.real).sizeOf(fx.vmDir("dev1").resolve("work.ext4"))).isEqualTo(GIB);
        assertThat(service.inspector(() -> "KEY").ssh("dev1").knownHosts())
                .containsExactly("127.77.0.2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests");
    }

    @Test
    void vmmThatRefusesToStartRollsBackEveryEarlierStage() {
        fx.vmm.failNextStart();
        RecordingStages stages = new RecordingStages();

        assertThatThrownBy(() -> service.create(service.plan(new CreateRequest("dev1", null, null, null, null)), stages))
                .isInstanceOf(VmmException.class);

        assertThat(stages.events()).contains("failed vmm-start").doesNotContain("started boot");
        assertThat(stages.rolledBackStages()).containsExactlyElementsOf(ROLLED_BACK_BEFORE_START);
        assertNothingLeft("dev1");
        assertThat(fx.vmm.stopped()).isEmpty();
    }

    @Test
    void agentThatNeverAnswersFailsTheBootAtItsDeadlineAndRollsBackTheStartedVmm() {
        service = fx.service(SHORT);
        fx.vmm.health(vm -> null);
        RecordingStages stages = new RecordingStages();

        assertThatThrownBy(() -> service.create(service.plan(new CreateRequest("dev1", null, null, null, null)), stages))
                .isInstanceOf(VmException.class)
                .hasMessageContaining("gave up waiting")
                .hasMessageContaining("the guest agent to answer");

        assertThat(stages.events()).contains("failed boot");
        assertThat(stages.rolledBackStages()).first().isEqualTo("vmm-start");
        assertThat(stages.rolledBackStages()).endsWith(ROLLED_BACK_BEFORE_START.toArray(String[]::new));
        assertThat(fx.vmm.stopped()).hasSize(1);
        assertNothingLeft("dev1");
    }

    @Test
    void sshdThatNeverListensFailsTheCreateAndRollsItBack() {
        service = fx.service(SHORT);
        fx.vmm.health(vm -> FakeAgent.report(false, true, true, FakeVmm.HOST_KEY));
        RecordingStages stages = new RecordingStages();

        assertThatThrownBy(() -> service.create(service.plan(new CreateRequest("dev1", null, null, null, null)), stages))
                .isInstanceOf(VmException.class)
                .hasMessageContaining("sshd on 127.77.0.2");

        assertThat(stages.done()).contains("boot").doesNotContain("sshd");
        assertThat(stages.events()).contains("failed sshd");
        assertThat(stages.rolledBackStages()).first().isEqualTo("vmm-start");
        assertThat(fx.vmm.stopped()).hasSize(1);
        assertNothingLeft("dev1");
    }

    @Test
    void vmmThatDiesDuringBootFailsAtOnceWithTheConsoleTail() {
        service = fx.service(new BootDeadlines(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)));
        fx.vmm.dieOnNextStart("Booting the kernel\nKernel panic - not syncing: VFS: Unable to mount root fs\n");
        CreatePlan plan = service.plan(new CreateRequest("dev1", null, null, null, null));
        long start = System.nanoTime();

        Throwable failure = catchThrowable(() -> service.create(plan, new RecordingStages()));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(failure).isInstanceOf(VmException.class)
                .hasMessageContaining("the fake process exited while waiting for the guest agent")
                .hasMessageContaining("Kernel panic - not syncing");
        assertNothingLeft("dev1");
    }

    private void assertNothingLeft(String name) {
        assertThat(fx.store.vms().find(name)).isEmpty();
        assertThat(fx.vmDir(name)).doesNotExist();
        assertThat(fx.taps()).isEmpty();
        assertThat(fx.tapsDeleted()).containsExactly("tap-pool-0");
    }

    @Test
    void rolledBackCreateReturnsItsTapSoTheNextCreateGetsTheSameName() {
        fx.vmm.failNextStart();
        assertThatThrownBy(() -> create("dev1")).isInstanceOf(VmmException.class);

        assertThat(create("dev2").tap()).isEqualTo("tap-pool-0");
    }

    @Test
    void planRejectsBadNamesUnknownOrBrokenImagesBadSizesAndTakenNamesAndCreatesNothing() {
        create("dev1");
        List<Path> before = vmDirs();

        assertThat(kindOf(catchThrowable(() -> service.plan(new CreateRequest("dev-", null, null, null, null)))))
                .isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(kindOf(catchThrowable(() -> service.plan(new CreateRequest("Dev2", null, null, null, null)))))
                .isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(kindOf(catchThrowable(() -> service.plan(new CreateRequest("dev2", "no-such-image", null, null, null)))))
                .isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf(catchThrowable(() -> service.plan(new CreateRequest("dev2", null, 0, null, null)))))
                .isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(kindOf(catchThrowable(() -> service.plan(new CreateRequest("dev2", null, null, 64, null)))))
                .isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(kindOf(catchThrowable(() -> service.plan(new CreateRequest("dev2", null, null, null, 0)))))
                .isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(kindOf(catchThrowable(() -> service.plan(new CreateRequest("dev1", null, null, null, null)))))
                .isEqualTo(ErrorKind.CONFLICT);
        fx.store.images().updateStatus(VmFixture.IMAGE, ImageStatus.NEEDS_REBUILD);
        Throwable rebuild = catchThrowable(() -> service.plan(new CreateRequest("dev2", null, null, null, null)));
        assertThat(kindOf(rebuild)).isEqualTo(ErrorKind.PRECONDITION_FAILED);
        assertThat(rebuild).hasMessageContaining("rebuild-rootfs " + VmFixture.IMAGE);

        assertThat(fx.store.vms().list()).extracting(v -> v.name()).containsExactly("dev1");
        assertThat(vmDirs()).isEqualTo(before);
        assertThat(fx.vmm.started()).hasSize(1);
    }

    @Test
    void planWithoutANameGeneratesAValidFreshOne() {
        CreatePlan plan = service.plan(new CreateRequest(null, null, null, null, null));

        assertThat(plan.name()).matches("[a-z]+-[a-z]+(-[0-9]+)?");
        assertThat(plan.vmm()).isEqualTo(FakeVmm.NAME);
        assertThat(plan.diskBytes()).isEqualTo(GIB);
        assertThat(plan.memoryMib()).isEqualTo(256);
    }

    private List<Path> vmDirs() {
        try (Stream<Path> dirs = Files.list(fx.stateDir.resolve("vms"))) {
            return dirs.sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void stopKeepsTheDisksAndFreesTheTap() {
        VmInfo created = create("dev1");

        VmInfo stopped = service.stop("dev1");

        assertThat(stopped.state()).isEqualTo(VmState.STOPPED);
        assertThat(stopped.pid()).isNull();
        assertThat(stopped.tap()).isNull();
        assertThat(fx.vmm.stopped()).extracting(i -> i.pid()).containsExactly(created.pid());
        assertThat(fx.tapsDeleted()).containsExactly("tap-pool-0");
        assertThat(fx.taps()).isEmpty();
        assertThat(fx.vmDir("dev1").resolve("root.img")).isRegularFile();
        assertThat(fx.vmDir("dev1").resolve("work.ext4")).isRegularFile();
    }

    @Test
    void startAfterStopBootsTheSameDisksAgain() {
        VmInfo created = create("dev1");
        service.stop("dev1");

        VmInfo started = service.start("dev1");

        assertThat(started.state()).isEqualTo(VmState.RUNNING);
        assertThat(started.pid()).isNotNull().isNotEqualTo(created.pid());
        assertThat(started.tap()).isEqualTo("tap-pool-0");
        assertThat(fx.vmm.started()).hasSize(2);
        assertThat(fx.vmm.started().get(1).drives()).isEqualTo(fx.vmm.started().get(0).drives());
        assertThat(fx.vmm.isAlive(fx.runtime("dev1").instance())).isTrue();
    }

    @Test
    void editRefusesARunningVm() {
        create("dev1");

        Throwable refused = catchThrowable(() -> service.edit("dev1", 2, null, null));

        assertThat(kindOf(refused)).isEqualTo(ErrorKind.CONFLICT);
        assertThat(refused).hasMessageContaining("stop it first");
        assertThat(fx.store.vms().get("dev1").vcpus()).isEqualTo(1);
    }

    @Test
    void editGrowsTheWorkDiskOfAStoppedVmAndRefusesToShrinkIt() {
        create("dev1");
        service.stop("dev1");
        Path work = fx.vmDir("dev1").resolve("work.ext4");

        VmInfo grown = service.edit("dev1", 2, 512, 2);

        assertThat(grown.vcpus()).isEqualTo(2);
        assertThat(grown.memoryMib()).isEqualTo(512);
        assertThat(grown.diskBytes()).isEqualTo(2 * GIB);
        assertThat(new Ext4Tool(fx.real).sizeOf(work)).isEqualTo(2 * GIB);

        Throwable shrink = catchThrowable(() -> service.edit("dev1", null, null, 1));
        assertThat(kindOf(shrink)).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(shrink).hasMessageContaining("only grows");
        assertThat(new Ext4Tool(fx.real).sizeOf(work)).isEqualTo(2 * GIB);
        assertThat(fx.store.vms().get("dev1").diskBytes()).isEqualTo(2 * GIB);
    }

    @Test
    void deleteOfSeveralNamesDeletesTheOthersWhenOneDoesNotExist() {
        create("dev1");
        create("dev2");

        VmDeleteResult result = service.delete(List.of("dev1", "ghost", "dev2"));

        assertThat(result.outcomes()).extracting(VmDeleteResult.Outcome::name, VmDeleteResult.Outcome::deleted,
                VmDeleteResult.Outcome::kind).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("dev1", true, null),
                        org.assertj.core.groups.Tuple.tuple("ghost", false, "not-found"),
                        org.assertj.core.groups.Tuple.tuple("dev2", true, null));
        assertThat(fx.store.vms().list()).isEmpty();
        assertThat(fx.vmDir("dev1")).doesNotExist();
        assertThat(fx.vmDir("dev2")).doesNotExist();
        assertThat(fx.vmm.stopped()).hasSize(2);
        assertThat(fx.taps()).isEmpty();
    }

    @Test
    void natIsInstalledByTheFirstCreateAndRemovedByItsHandleWithTheLastVm() {
        String table = new NetworkPlanner("banger0", Ipv4Subnet.parse(VmFixture.SUBNET)).nftTable();
        List<String> install = List.of("nft", "-f", "-");
        List<String> remove = List.of("nft", "delete", "table", "ip", table);

        create("dev1");
        assertThat(fx.ran(install)).hasSize(1);
        assertThat(fx.ran(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1"))).hasSize(1);
        assertThat(fx.store.settings().get(VmHost.NAT_SETTING)).get().asString().contains(table);

        create("dev2");
        service.delete(List.of("dev1"));
        assertThat(fx.ran(install)).hasSize(1);
        assertThat(fx.ran(remove)).isEmpty();

        service.delete(List.of("dev2"));
        assertThat(fx.ran(remove)).hasSize(1);
        assertThat(fx.store.settings().get(VmHost.NAT_SETTING)).isEmpty();
    }

    @Test
    void natHandlesAreOnRecordBeforeTheRulesAreInstalledSoADaemonKilledMeanwhileCanRemoveThem() {
        String table = new NetworkPlanner("banger0", Ipv4Subnet.parse(VmFixture.SUBNET)).nftTable();
        AtomicReference<java.util.Optional<String>> recordedWhileInstalling = new AtomicReference<>();
        fx.network.answer(List.of("nft", "-f", "-"), command -> {
            recordedWhileInstalling.set(fx.store.settings().get(VmHost.NAT_SETTING));
            return new dev.banger.host.CommandResult(command, 0, "", "", Duration.ZERO);
        });

        create("dev1");

        assertThat(recordedWhileInstalling.get()).get().asString().contains(table);
    }

    @Test
    void natThatCannotBeInstalledFailsTheCreateBeforeItsBootIsAwaitedAndRollsItBack() {
        fx.network.answer(List.of("nft", "-f", "-"), 1, "", "Error: Could not process rule: Operation not permitted");
        RecordingStages stages = new RecordingStages();

        assertThatThrownBy(() -> service.create(service.plan(new CreateRequest("dev1", null, null, null, null)), stages))
                .hasMessageContaining("NAT").hasMessageContaining("Operation not permitted");

        assertThat(stages.events()).contains("failed boot");
        assertThat(fx.vmm.events()).as("stopped before its guest ever ran").containsExactly("paused dev1");
        assertThat(fx.vmm.stopped()).hasSize(1);
        assertThat(fx.store.settings().get(VmHost.NAT_SETTING)).isEmpty();
        assertNothingLeft("dev1");
    }

    @Test
    void natBegunByTheOnlyCreateIsRemovedWhenItRollsBack() {
        String table = new NetworkPlanner("banger0", Ipv4Subnet.parse(VmFixture.SUBNET)).nftTable();
        service = fx.service(SHORT);
        fx.vmm.health(vm -> null);

        assertThatThrownBy(() -> create("dev1")).isInstanceOf(VmException.class);

        assertThat(fx.ran(List.of("nft", "-f", "-"))).hasSize(1);
        assertThat(fx.ran(List.of("nft", "delete", "table", "ip", table))).hasSize(1);
        assertThat(fx.store.settings().get(VmHost.NAT_SETTING)).isEmpty();
    }

    @Test
    void aFailedCreateLeavesTheNatOfOtherVmsInPlace() {
        create("dev1");
        service = fx.service(SHORT);
        fx.vmm.health(vm -> null);

        assertThatThrownBy(() -> create("dev2")).isInstanceOf(VmException.class);

        assertThat(fx.ran(List.of("nft", "delete", "table"))).isEmpty();
        assertThat(fx.store.settings().get(VmHost.NAT_SETTING)).isPresent();
    }

    @Test
    void natIsRemovedByTheHandlesRecordedAtInstallNotByWhatTheConfigSaysNow() throws Exception {
        create("dev1");
        fx.store.settings().put(VmHost.NAT_SETTING, StoredJson.mapper().writeValueAsString(NatHandles.nftables("banger-old0")));

        service.delete(List.of("dev1"));

        assertThat(fx.ran(List.of("nft", "delete", "table"))).containsExactly(List.of("nft", "delete", "table", "ip", "banger-old0"));
    }

    @Test
    void theGuestRunsOnlyAfterItsVmmStartedPaused() {
        create("dev1");

        assertThat(fx.vmm.events()).containsExactly("paused dev1", "resumed dev1");
    }

    @Test
    void aGuestWaitsUntilTheCreatesBegunAlongsideHaveTheirVmmsStarted() throws Exception {
        CountDownLatch aEntered = new CountDownLatch(1);
        CountDownLatch bAtBoot = new CountDownLatch(1);
        RecordingStages aStages = new RecordingStages().onStart("validate", aEntered::countDown)
                .onStart("vmm-start", () -> awaitLatch(bAtBoot));
        RecordingStages bStages = new RecordingStages().onStart("boot", bAtBoot::countDown);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<VmInfo> a = threads.submit(() -> service.create(service.plan(new CreateRequest("a1", null, null, null, null)), aStages));
            awaitLatch(aEntered);
            Future<VmInfo> b = threads.submit(() -> service.create(service.plan(new CreateRequest("b1", null, null, null, null)), bStages));

            assertThat(a.get(20, TimeUnit.SECONDS).state()).isEqualTo(VmState.RUNNING);
            assertThat(b.get(20, TimeUnit.SECONDS).state()).isEqualTo(VmState.RUNNING);
        }
        // b1's host side ended first, but its guest ran only once a1's VMM had started.
        assertThat(fx.vmm.events()).containsSubsequence("paused b1", "paused a1", "resumed b1");
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("not reached within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aSecondOperationOnAVmWhileOneRunsIsAConflict() throws Exception {
        AtomicReference<Throwable> stop = new AtomicReference<>();
        AtomicReference<VmDeleteResult> delete = new AtomicReference<>();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            RecordingStages stages = new RecordingStages().onStart("boot", () -> {
                try {
                    stop.set(other.submit(() -> catchThrowable(() -> service.stop("dev1"))).get(10, TimeUnit.SECONDS));
                    delete.set(other.submit(() -> service.delete(List.of("dev1"))).get(10, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });

            VmInfo created = service.create(service.plan(new CreateRequest("dev1", null, null, null, null)), stages);

            assertThat(created.state()).isEqualTo(VmState.RUNNING);
        } finally {
            other.shutdownNow();
        }
        assertThat(kindOf(stop.get())).isEqualTo(ErrorKind.CONFLICT);
        assertThat(stop.get()).hasMessageContaining("busy");
        assertThat(delete.get().outcomes()).singleElement().satisfies(o -> {
            assertThat(o.deleted()).isFalse();
            assertThat(o.kind()).isEqualTo("conflict");
        });
        assertThat(fx.vmm.stopped()).isEmpty();
    }

    @Test
    void createOfADevImageWaitsUntilTheAgentSeesOpencodeListening() {
        AtomicInteger asked = new AtomicInteger();
        fx.vmm.health(vm -> FakeAgent.report(true, true, asked.incrementAndGet() > 6, FakeVmm.HOST_KEY));
        CreatePlan plan = service.plan(new CreateRequest("dev1", VmFixture.DEV_IMAGE, null, null, null));
        RecordingStages stages = new RecordingStages();

        VmInfo info = service.create(plan, stages);

        assertThat(plan.services()).containsExactly("opencode");
        assertThat(info.state()).isEqualTo(VmState.RUNNING);
        assertThat(stages.done()).endsWith("sshd", "services", "shares");
        assertThat(asked.get()).isGreaterThan(6);
    }

    @Test
    void declaredServiceThatNeverListensFailsTheServicesStageAndRollsBack() {
        service = fx.service(SHORT);
        fx.vmm.health(vm -> FakeAgent.report(true, true, false, FakeVmm.HOST_KEY));
        RecordingStages stages = new RecordingStages();

        assertThatThrownBy(() -> service.create(service.plan(new CreateRequest("dev1", VmFixture.DEV_IMAGE, null, null, null)), stages))
                .isInstanceOf(VmException.class)
                .hasMessageContaining("services [opencode]");

        assertThat(stages.events()).contains("done sshd", "failed services");
        assertThat(stages.rolledBackStages()).first().isEqualTo("vmm-start");
        assertNothingLeft("dev1");
    }

    @Test
    void imageWithoutADevManifestDeclaresNoServices() {
        assertThat(service.plan(new CreateRequest("dev1", null, null, null, null)).services()).isEmpty();
    }

    @Test
    void restartStopsTheVmmAndBootsANewOne() {
        VmInfo created = create("dev1");

        VmInfo restarted = service.restart("dev1");

        assertThat(restarted.state()).isEqualTo(VmState.RUNNING);
        assertThat(restarted.pid()).isNotEqualTo(created.pid());
        assertThat(fx.vmm.stopped()).extracting(i -> i.pid()).containsExactly(created.pid());
        assertThat(fx.tapsDeleted()).containsExactly("tap-pool-0");
        assertThat(fx.taps()).containsExactly(restarted.tap());
    }

    @Test
    void startOfAVmThatRunsChangesNothing() {
        VmInfo created = create("dev1");

        VmInfo again = service.start("dev1");

        assertThat(again.pid()).isEqualTo(created.pid());
        assertThat(fx.vmm.started()).hasSize(1);
        assertThat(fx.vmm.stopped()).isEmpty();
    }

    @Test
    void startThatFailsLeavesTheVmStoppedWithItsTapFreed() {
        create("dev1");
        service.stop("dev1");
        fx.vmm.failNextStart();

        assertThatThrownBy(() -> service.start("dev1")).isInstanceOf(VmmException.class);

        assertThat(fx.store.vms().get("dev1").state()).isEqualTo(VmState.STOPPED);
        assertThat(fx.store.vms().get("dev1").pid()).isNull();
        assertThat(fx.taps()).isEmpty();
        assertThat(service.start("dev1").state()).isEqualTo(VmState.RUNNING);
    }
}
