package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.host.disk.DiskFormat;
import dev.banger.host.net.IptablesRule;
import dev.banger.host.net.NatHandles;
import dev.banger.vm.state.VmRuntime;
import dev.banger.vm.warm.WarmMachines;
import dev.banger.store.StoredJson;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.VmmInstance;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Records exactly as the daemon wrote them before persistence got its own mapper (taken from a
 * run of that version), so a change to {@link StoredJson} that would strand existing rows and
 * state files fails here.
 */
class StoredRecordsTest {
    private static final Path DIR = Path.of("/var/lib/banger/vms/dev1");
    private static final VmmInstance INSTANCE = new VmmInstance("qemu", 4242, DIR, DIR.resolve("agent.sock"),
            VmmInstance.AgentTransport.UNIX_STREAM, OptionalLong.of(987_654), Acceleration.emulated("KVM cannot run a guest here: no"));
    private static final String STORED_INSTANCE = """
            {"backend":"qemu","pid":4242,"vmDir":"/var/lib/banger/vms/dev1","agentSocket":"/var/lib/banger/vms/dev1/agent.sock",\
            "agentTransport":"UNIX_STREAM","startTicks":987654,"acceleration":{"kvm":false,"reason":"KVM cannot run a guest here: no"}}""";

    @Test
    void aRuntimeColumnWrittenBeforeStillReadsAndIsWrittenTheSame() {
        String stored = """
                {"vmDir":"/var/lib/banger/vms/dev1","rootDisk":{"strategy":"DM_SNAPSHOT","path":"/dev/mapper/banger-dev1-root",\
                "format":"RAW","file":"/var/lib/banger/vms/dev1/root.cow","snapshot":{"name":"banger-dev1-root",\
                "baseFile":"/var/lib/banger/images/d/rootfs.ext4","baseLoop":"/dev/loop3","cowFile":"/var/lib/banger/vms/dev1/root.cow",\
                "cowLoop":"/dev/loop4","sectors":2097152}},"workDisk":"/var/lib/banger/vms/dev1/work.qcow2","tap":"tap-pool-3",\
                "instance":%s,"hostKeys":["ssh-ed25519 AAAA root@dev1"]}""".formatted(STORED_INSTANCE);
        ClonedDisk.DmSnapshot pieces = new ClonedDisk.DmSnapshot("banger-dev1-root", Path.of("/var/lib/banger/images/d/rootfs.ext4"),
                Path.of("/dev/loop3"), DIR.resolve("root.cow"), Path.of("/dev/loop4"), 2_097_152);
        VmRuntime expected = VmRuntime.empty(DIR)
                .withRootDisk(new ClonedDisk(CloneStrategy.DM_SNAPSHOT, pieces.device(), DiskFormat.RAW, DIR.resolve("root.cow"),
                        Optional.of(pieces)))
                .withWorkDisk(DIR.resolve("work.qcow2"))
                .withTap("tap-pool-3")
                .withInstance(INSTANCE)
                .withHostKeys(List.of("ssh-ed25519 AAAA root@dev1"));

        assertThat(VmRuntime.fromJson(stored, "dev1")).isEqualTo(expected);
        assertThat(expected.toJson()).isEqualTo(stored);
    }

    @Test
    void aWarmMachineStateFileWrittenBeforeStillReads() throws Exception {
        String stored = "{\"instance\":" + STORED_INSTANCE + ",\"tap\":\"tap-pool-1\"}";

        WarmMachines.Recorded read = StoredJson.mapper().readValue(stored, WarmMachines.Recorded.class);

        assertThat(read).isEqualTo(new WarmMachines.Recorded(INSTANCE, "tap-pool-1"));
        assertThat(StoredJson.mapper().writeValueAsString(read)).isEqualTo(stored);
    }

    @Test
    void natHandlesSettingsWrittenBeforeStillRead() throws Exception {
        String iptables = """
                {"backend":"IPTABLES","nftTable":null,"iptablesRules":[{"table":"nat","chain":"POSTROUTING",\
                "spec":["-s","172.16.0.0/24","-j","MASQUERADE"]}]}""";
        String nftables = "{\"backend\":\"NFTABLES\",\"nftTable\":\"banger_nat\",\"iptablesRules\":[]}";

        assertThat(StoredJson.mapper().readValue(iptables, NatHandles.class)).isEqualTo(NatHandles.iptables(
                List.of(new IptablesRule("nat", "POSTROUTING", List.of("-s", "172.16.0.0/24", "-j", "MASQUERADE")))));
        assertThat(StoredJson.mapper().readValue(nftables, NatHandles.class)).isEqualTo(NatHandles.nftables("banger_nat"));
    }
}
