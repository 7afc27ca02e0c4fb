package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.NatMode;
import dev.banger.config.NetworkConfig;
import dev.banger.host.disk.HostDiskFacts;
import dev.banger.model.Ipv4Subnet;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import dev.banger.vm.state.VmRuntime;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmmWatchTest {
    @TempDir
    Path dir;

    private VmFixture fx;
    private final StandInVmm vmm = new StandInVmm();
    private VmService service;
    private Process process;
    private VmmWatch watch;

    /**
     * The fixture's fake VMM, except that an instance swapped for a real process is alive exactly
     * while that process runs: the watch then sees a real exit.
     */
    private final class StandInVmm implements Vmm {
        final Set<Long> realPids = ConcurrentHashMap.newKeySet();

        @Override
        public String name() {
            return FakeVmm.NAME;
        }

        @Override
        public VmmInstance startPaused(MachineSpec spec) {
            return fx.vmm.startPaused(spec);
        }

        @Override
        public void resume(VmmInstance instance) {
            fx.vmm.resume(instance);
        }

        @Override
        public void stop(VmmInstance instance, Duration grace) {
            fx.vmm.stop(instance, grace);
        }

        @Override
        public Path consoleLog(Path vmDir) {
            return fx.vmm.consoleLog(vmDir);
        }

        @Override
        public boolean isAlive(VmmInstance instance) {
            return realPids.contains(instance.pid())
                    ? ProcessHandle.of(instance.pid()).map(ProcessHandle::isAlive).orElse(false)
                    : fx.vmm.isAlive(instance);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
        NetworkConfig config = new NetworkConfig("banger0", Ipv4Subnet.parse(VmFixture.SUBNET), "banger.internal",
                0, NatMode.AUTO);
        VmHost host = new VmHost(fx.commands, config, Map.of(FakeVmm.NAME, vmm), FakeVmm.NAME, null,
                new HostDiskFacts(false, false, false));
        service = fx.service(host, VmFixture.QUICK);
    }

    @AfterEach
    void tearDown() {
        if (watch != null) {
            watch.close();
        }
        if (process != null) {
            process.destroyForcibly();
        }
        fx.close();
    }

    /** Creates a VM, then makes a real {@code sleep} its VMM process. */
    private VmmInstance runningOnARealProcess(String name) throws IOException {
        service.create(service.plan(new CreateRequest(name, null, null, null, null)), new RecordingStages());
        process = new ProcessBuilder("sleep", "300").start();
        vmm.realPids.add(process.pid());
        VmRuntime runtime = fx.runtime(name);
        VmmInstance real = new VmmInstance(FakeVmm.NAME, process.pid(), runtime.vmDir(), runtime.instance().agentSocket(),
                VmmInstance.AgentTransport.UNIX_STREAM);
        fx.store.vms().recordLifecycle(name, VmState.RUNNING, process.pid(), runtime.withInstance(real).toJson());
        return real;
    }

    @Test
    void vmWhoseVmmProcessExitsIsMarkedStoppedWithItsTapReleasedAndItsDisksKept() throws Exception {
        VmmInstance instance = runningOnARealProcess("dev1");
        VmRuntime before = fx.runtime("dev1");
        CompletableFuture<String> stopped = new CompletableFuture<>();
        watch = service.watch(stopped::complete);
        assertThat(watch.sweep()).as("nothing has died yet").isEmpty();

        process.destroyForcibly();

        assertThat(stopped.get(20, TimeUnit.SECONDS)).isEqualTo("dev1");
        Vm vm = fx.store.vms().get("dev1");
        VmRuntime after = fx.runtime(vm.name());
        assertThat(vm.state()).isEqualTo(VmState.STOPPED);
        assertThat(vm.pid()).isNull();
        assertThat(after.tap()).isNull();
        assertThat(after.instance()).isNull();
        assertThat(fx.tapsDeleted()).containsExactly(before.tap());
        assertThat(after.workDisk()).isEqualTo(before.workDisk()).exists();
        assertThat(after.rootDisk().file()).exists();
        assertThat(instance.agentSocket()).as("the dead VMM's socket").doesNotExist();

        assertThat(service.start("dev1").state()).as("the VM starts again from its disks").isEqualTo(VmState.RUNNING);
    }

    @Test
    void sweepFindsAVmmThatDiedBeforeAnyoneWatchedIt() throws Exception {
        runningOnARealProcess("dev1");
        process.destroyForcibly();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();

        watch = service.watch(vm -> { });

        assertThat(watch.sweep()).containsExactly("dev1");
        assertThat(fx.store.vms().get("dev1").state()).isEqualTo(VmState.STOPPED);
        assertThat(watch.sweep()).as("a second sweep has nothing to do").isEmpty();
    }

    @Test
    void vmBusyWithAnOperationIsLeftToThatOperation() throws Exception {
        VmmInstance instance = runningOnARealProcess("dev1");
        process.destroyForcibly();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        watch = service.watch(vm -> { });

        boolean stoppedWhileBusy = service.locks().with("dev1", () -> watch.stopIfGone("dev1", instance));

        assertThat(stoppedWhileBusy).isFalse();
        assertThat(fx.store.vms().get("dev1").state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void exitOfAnOlderVmmOfARestartedVmChangesNothing() throws Exception {
        runningOnARealProcess("dev1");
        VmmInstance older = new VmmInstance(FakeVmm.NAME, Integer.MAX_VALUE, fx.vmDir("dev1"), fx.vmDir("dev1").resolve("old.sock"),
                VmmInstance.AgentTransport.UNIX_STREAM);
        watch = service.watch(vm -> { });

        assertThat(watch.stopIfGone("dev1", older)).isFalse();
        assertThat(fx.store.vms().get("dev1").state()).isEqualTo(VmState.RUNNING);
    }
}
