package dev.banger.vm;

import dev.banger.host.disk.DiskFormat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmRuntime;
import dev.banger.vmm.VmmInstance;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class VmRuntimeTest {
    private static final Path DIR = Path.of("/var/lib/banger/vms/dev1");

    private static ClonedDisk dmSnapshot() {
        ClonedDisk.DmSnapshot pieces = new ClonedDisk.DmSnapshot("banger-dev1-root", Path.of("/var/lib/banger/images/d/rootfs.ext4"),
                Path.of("/dev/loop3"), DIR.resolve("root.cow"), Path.of("/dev/loop4"), 2_097_152);
        return new ClonedDisk(CloneStrategy.DM_SNAPSHOT, pieces.device(), DiskFormat.RAW, DIR.resolve("root.cow"),
                Optional.of(pieces));
    }

    @Test
    void runningVmWithADmSnapshotRootSurvivesAJsonRoundTrip() {
        VmRuntime runtime = VmRuntime.empty(DIR)
                .withRootDisk(dmSnapshot())
                .withWorkDisk(DIR.resolve("work.ext4"))
                .withTap("tap-pool-3")
                .withInstance(new VmmInstance("qemu", 4242, DIR, DIR.resolve("agent.sock"), VmmInstance.AgentTransport.UNIX_STREAM))
                .withHostKeys(List.of("ssh-ed25519 AAAA root@dev1", "ecdsa-sha2-nistp256 BBBB root@dev1"));

        VmRuntime read = VmRuntime.fromJson(runtime.toJson(), "dev1");

        assertThat(read).isEqualTo(runtime);
        assertThat(read.rootDisk().snapshot()).get().extracting(ClonedDisk.DmSnapshot::cowLoop).isEqualTo(Path.of("/dev/loop4"));
    }

    @Test
    void emptyRuntimeSurvivesAJsonRoundTripWithItsNullParts() {
        VmRuntime empty = VmRuntime.empty(DIR);

        VmRuntime read = VmRuntime.fromJson(empty.toJson(), "dev1");

        assertThat(read).isEqualTo(empty);
        assertThat(read.hostKeys()).isEmpty();
        assertThat(read.rootDisk()).isNull();
    }

    @Test
    void processStartTimeSurvivesAJsonRoundTrip() {
        VmRuntime runtime = VmRuntime.empty(DIR).withTap("tap-pool-1").withInstance(new VmmInstance("firecracker", 4242, DIR,
                DIR.resolve("firecracker.vsock"), VmmInstance.AgentTransport.HYBRID_VSOCK, OptionalLong.of(987_654), null));

        VmRuntime read = VmRuntime.fromJson(runtime.toJson(), "dev1");

        assertThat(read).isEqualTo(runtime);
        assertThat(read.instance().startTicks()).hasValue(987_654);
    }

    @Test
    void instanceRecordedBeforeStartTimesWereKeptStillLoadsWithoutOne() {
        String stored = """
                {"vmDir":"/var/lib/banger/vms/dev1","rootDisk":null,"workDisk":null,"tap":"tap-pool-1",
                 "instance":{"backend":"firecracker","pid":4242,"vmDir":"/var/lib/banger/vms/dev1",
                  "agentSocket":"/var/lib/banger/vms/dev1/firecracker.vsock","agentTransport":"HYBRID_VSOCK"},
                 "hostKeys":[]}
                """;

        VmRuntime read = VmRuntime.fromJson(stored, "dev1");

        assertThat(read.instance()).isEqualTo(new VmmInstance("firecracker", 4242, DIR, DIR.resolve("firecracker.vsock"),
                VmmInstance.AgentTransport.HYBRID_VSOCK));
        assertThat(read.instance().startTicks()).isEmpty();
    }

    @Test
    void stoppedDropsTapAndProcessButKeepsDisksAndKeys() {
        VmRuntime running = VmRuntime.empty(DIR).withWorkDisk(DIR.resolve("work.ext4")).withTap("tap-pool-0")
                .withInstance(new VmmInstance("qemu", 1, DIR, DIR.resolve("a.sock"), VmmInstance.AgentTransport.UNIX_STREAM))
                .withHostKeys(List.of("ssh-ed25519 AAAA"));

        VmRuntime stopped = running.stopped();

        assertThat(stopped.tap()).isNull();
        assertThat(stopped.instance()).isNull();
        assertThat(stopped.workDisk()).isEqualTo(DIR.resolve("work.ext4"));
        assertThat(stopped.hostKeys()).containsExactly("ssh-ed25519 AAAA");
    }

    @Test
    void unreadableRecordNamesTheVmAndSaysWhy() {
        assertThatThrownBy(() -> VmRuntime.fromJson("{\"vmDir\":", "dev1"))
                .isInstanceOf(VmException.class)
                .hasMessageContaining("VM 'dev1'")
                .hasMessageContaining("changed by hand")
                .extracting(e -> ((BangerException) e).kind()).isEqualTo(ErrorKind.INTERNAL);
    }
}
