package dev.banger.vm;

import dev.banger.host.disk.DiskFormat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.model.Vm;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.model.Ipv4Subnet;
import dev.banger.store.NewVm;
import dev.banger.vm.state.VmRuntime;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmReconcilerTest {
    @TempDir
    Path dir;

    private VmFixture fx;

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** A VM created by a daemon that has since gone: its service is not used again. */
    private VmInfo createWithEarlierDaemon(String name) {
        VmService earlier = fx.service(VmFixture.QUICK);
        return earlier.create(earlier.plan(new CreateRequest(name, null, null, null, null)), new RecordingStages());
    }

    /** The next daemon's service, on the same store and fake backend. */
    private VmService restartedDaemon() {
        return fx.service(VmFixture.QUICK);
    }

    private VmRuntime runtime(String name) {
        return VmRuntime.fromJson(fx.store.vms().runtime(name).orElseThrow(), name);
    }

    @Test
    void runningVmWhoseVmmDiedIsMarkedStoppedWithItsDisksKept() {
        createWithEarlierDaemon("dev1");
        fx.vmm.kill(runtime("dev1").instance());
        VmService service = restartedDaemon();

        List<String> changes = service.reconciler().reconcileAndStart();

        Vm vm = fx.store.vms().get("dev1");
        assertThat(vm.state()).isEqualTo(VmState.STOPPED);
        assertThat(vm.pid()).isNull();
        assertThat(runtime("dev1").instance()).isNull();
        assertThat(runtime("dev1").tap()).isNull();
        assertThat(fx.vmDir("dev1").resolve("work.ext4")).isRegularFile();
        assertThat(fx.vmDir("dev1").resolve("root.img")).isRegularFile();
        assertThat(changes).singleElement().asString().contains("VM dev1").contains("marked stopped");
        assertThat(fx.tapsDeleted()).as("the dead VM's TAP goes back to the pool, which holds none").containsExactly("tap-pool-0");
    }

    @Test
    void createLeftHalfDoneByAKilledDaemonIsRolledBack() throws IOException {
        Path vmDir = fx.vmDir("half");
        Files.createDirectories(vmDir);
        Path root = Files.write(vmDir.resolve("root.img"), new byte[4096]);
        Path work = Files.write(vmDir.resolve("work.ext4"), new byte[4096]);
        fx.store.vms().create(new NewVm("half", VmFixture.IMAGE, 1, 256, 1L << 30, FakeVmm.NAME), Ipv4Subnet.parse(VmFixture.SUBNET));
        VmmInstance instance = new VmmInstance(FakeVmm.NAME, 777, vmDir, vmDir.resolve("agent.sock"), VmmInstance.AgentTransport.UNIX_STREAM);
        fx.vmm.adopt(instance);
        fx.addTap("tap-pool-0");
        VmRuntime left = VmRuntime.empty(vmDir)
                .withRootDisk(new ClonedDisk(CloneStrategy.SPARSE_COPY, root, DiskFormat.RAW, root, Optional.empty()))
                .withWorkDisk(work).withTap("tap-pool-0").withInstance(instance);
        fx.store.vms().recordLifecycle("half", VmState.CREATING, 777L, left.toJson());

        List<String> changes = restartedDaemon().reconciler().reconcileAndStart();

        assertThat(fx.store.vms().find("half")).isEmpty();
        assertThat(vmDir).doesNotExist();
        assertThat(fx.vmm.stopped()).containsExactly(instance);
        assertThat(fx.taps()).isEmpty();
        assertThat(changes).singleElement().asString().contains("rolled back a create");
    }

    @Test
    void directoryOfNoVmIsRemovedAndThoseOfKnownVmsStay() throws IOException {
        createWithEarlierDaemon("dev1");
        Path orphan = Files.createDirectories(fx.vmDir("ghost"));
        Files.writeString(orphan.resolve("console.log"), "left over");

        List<String> changes = restartedDaemon().reconciler().reconcileAndStart();

        assertThat(orphan).doesNotExist();
        assertThat(fx.vmDir("dev1").resolve("work.ext4")).isRegularFile();
        assertThat(changes).singleElement().asString().contains(orphan.toString()).contains("belongs to no VM");
    }

    @Test
    void liveVmKeepsItsTapWhileThePoolClearsStaleOnes() {
        VmInfo live = createWithEarlierDaemon("dev1");
        fx.addTap("tap-pool-7");
        int before = fx.network.recorded().size();
        VmService service = restartedDaemon();

        service.ensureHostStarted();

        List<List<String>> ranAtStart = fx.network.recorded().subList(before, fx.network.recorded().size());
        assertThat(ranAtStart).noneMatch(argv -> argv.contains(live.tap()));
        assertThat(fx.tapsDeleted()).containsExactly("tap-pool-7");
        assertThat(fx.taps()).containsExactly(live.tap());
        Vm vm = fx.store.vms().get("dev1");
        assertThat(vm.state()).isEqualTo(VmState.RUNNING);
        assertThat(runtime("dev1").tap()).isEqualTo(live.tap());

        // The pool counts the live VM's TAP as handed out, so a new VM never gets the same name.
        VmInfo next = service.create(service.plan(new CreateRequest("dev2", null, null, null, null)), new RecordingStages());
        assertThat(next.tap()).isEqualTo("tap-pool-1");
    }
}
