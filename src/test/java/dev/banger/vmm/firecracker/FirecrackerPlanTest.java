package dev.banger.vmm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banger.host.disk.DiskFormat;
import dev.banger.model.ErrorKind;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.VmmException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirecrackerPlanTest {
    private static final Path VM_DIR = Path.of("/var/lib/banger/vms/dev1");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void planConfiguresLoggerMetricsMachineBootDrivesNicAndVsockThenStarts() {
        List<ApiCall> plan = FirecrackerPlan.configure(Specs.full(VM_DIR));

        assertThat(plan).extracting(ApiCall::toString).containsExactly(
                "PUT /logger",
                "PUT /metrics",
                "PUT /machine-config",
                "PUT /boot-source",
                "PUT /drives/root",
                "PUT /drives/work",
                "PUT /network-interfaces/eth0",
                "PUT /vsock",
                "PUT /entropy",
                "PUT /actions");
        assertThat(plan.getLast().body())
                .isEqualTo(new InstanceActionInfo(InstanceActionInfo.ActionType.INSTANCE_START));
    }

    @Test
    void bodiesCarryTheSpecsValuesAndTheVmDirectoryPaths() {
        List<ApiCall> plan = FirecrackerPlan.configure(Specs.full(VM_DIR));

        assertThat(plan).extracting(ApiCall::body).containsExactly(
                new Logger("/var/lib/banger/vms/dev1/firecracker-vmm.log", Logger.Level.INFO),
                new Metrics("/var/lib/banger/vms/dev1/firecracker-metrics.json"),
                new MachineConfiguration(2, 512, false),
                new BootSource("/var/lib/banger/images/debian/vmlinux", "/var/lib/banger/images/debian/initrd.img",
                        Specs.BOOT_ARGS),
                new Drive("root", "/var/lib/banger/vms/dev1/root.ext4", true, false),
                new Drive("work", "/var/lib/banger/vms/dev1/work.ext4", false, false),
                new NetworkInterface("eth0", "tap-bg0", "02:fc:00:00:00:07"),
                new Vsock(7, "/var/lib/banger/vms/dev1/firecracker.vsock"),
                new EntropyDevice(),
                new InstanceActionInfo(InstanceActionInfo.ActionType.INSTANCE_START));
    }

    @Test
    void onlyTheFirstDriveIsTheRootDeviceAndReadOnlyIsKept() {
        MachineSpec spec = Specs.withDrives(VM_DIR, List.of(
                new MachineSpec.Drive("seed", Path.of("/images/seed.ext4"), DiskFormat.RAW, true),
                new MachineSpec.Drive("root", Path.of("/vms/root.ext4"), DiskFormat.RAW, false)));

        List<Object> drives = FirecrackerPlan.configure(spec).stream()
                .filter(call -> call.path().startsWith("/drives/")).map(ApiCall::body).toList();

        assertThat(drives).containsExactly(
                new Drive("seed", "/images/seed.ext4", true, true),
                new Drive("root", "/vms/root.ext4", false, false));
    }

    @Test
    void qcow2DriveIsRefusedNamingTheDriveBecauseFirecrackerOnlyTakesRaw() {
        MachineSpec spec = Specs.withDrives(VM_DIR, List.of(
                new MachineSpec.Drive("root", Path.of("/vms/root.qcow2"), DiskFormat.QCOW2, false)));

        assertThatThrownBy(() -> FirecrackerPlan.configure(spec))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("drive 'root'")
                .hasMessageContaining("/vms/root.qcow2")
                .hasMessageContaining("only boots raw")
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void machineWithoutNicGetsNoNetworkInterface() {
        List<ApiCall> plan = FirecrackerPlan.configure(Specs.withNic(VM_DIR, null));

        assertThat(plan).extracting(ApiCall::path).doesNotContain("/network-interfaces/eth0").contains("/vsock");
    }

    @Test
    void driveIdFirecrackerWouldRefuseIsRejectedBeforeAnythingRuns() {
        MachineSpec spec = Specs.withDrives(VM_DIR, List.of(
                new MachineSpec.Drive("work-disk", Path.of("/vms/work.ext4"), DiskFormat.RAW, false)));

        assertThatThrownBy(() -> FirecrackerPlan.configure(spec))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("'work-disk' is not a Firecracker drive id");
    }

    @Test
    void duplicateDriveIdIsRejected() {
        MachineSpec.Drive root = new MachineSpec.Drive("root", Path.of("/vms/a.ext4"), DiskFormat.RAW, false);

        assertThatThrownBy(() -> FirecrackerPlan.configure(Specs.withDrives(VM_DIR, List.of(root, root))))
                .hasMessageContaining("drive id 'root' is used twice");
    }

    @Test
    void upperCaseOrMalformedMacIsRejected() {
        MachineSpec spec = Specs.withNic(VM_DIR, new MachineSpec.Nic("tap-bg0", "02:FC:00:00:00:07"));

        assertThatThrownBy(() -> FirecrackerPlan.configure(spec)).hasMessageContaining("guest MAC '02:FC:00:00:00:07'");
    }

    @Test
    void moreVcpusThanFirecrackerSupportsAreRejected() {
        MachineSpec base = Specs.full(VM_DIR);
        MachineSpec spec = new MachineSpec(base.name(), VM_DIR, 33, 512, base.kernel(), null, "", List.of(), null, 3, 1);

        assertThatThrownBy(() -> FirecrackerPlan.configure(spec)).hasMessageContaining("at most 32 vCPUs, asked for 33");
    }

    @Test
    void vmDirectoryTooDeepForAUnixSocketAddressIsRejected() {
        Path deep = Path.of("/var/lib/banger/" + "d".repeat(90));

        assertThatThrownBy(() -> FirecrackerPlan.configure(Specs.full(deep)))
                .hasMessageContaining("longer than the 107 bytes");
    }

    @Test
    void configRecordsSerialiseToTheApisFieldNames() throws Exception {
        assertThat(JSON.writeValueAsString(new MachineConfiguration(2, 512, false)))
                .isEqualTo("{\"vcpu_count\":2,\"mem_size_mib\":512,\"smt\":false}");
        assertThat(JSON.writeValueAsString(new BootSource("/k", "/i", "console=ttyS0")))
                .isEqualTo("{\"kernel_image_path\":\"/k\",\"initrd_path\":\"/i\",\"boot_args\":\"console=ttyS0\"}");
        assertThat(JSON.writeValueAsString(new BootSource("/k", null, "")))
                .isEqualTo("{\"kernel_image_path\":\"/k\",\"boot_args\":\"\"}");
        assertThat(JSON.writeValueAsString(new Drive("root", "/r", true, false)))
                .isEqualTo("{\"drive_id\":\"root\",\"path_on_host\":\"/r\",\"is_root_device\":true,\"is_read_only\":false}");
        assertThat(JSON.writeValueAsString(new NetworkInterface("eth0", "tap0", "02:00:00:00:00:01")))
                .isEqualTo("{\"iface_id\":\"eth0\",\"host_dev_name\":\"tap0\",\"guest_mac\":\"02:00:00:00:00:01\"}");
        assertThat(JSON.writeValueAsString(new Vsock(3, "/v.sock")))
                .isEqualTo("{\"guest_cid\":3,\"uds_path\":\"/v.sock\"}");
        assertThat(JSON.writeValueAsString(new Logger("/l", Logger.Level.WARNING)))
                .isEqualTo("{\"log_path\":\"/l\",\"level\":\"Warning\"}");
        assertThat(JSON.writeValueAsString(new Metrics("/m"))).isEqualTo("{\"metrics_path\":\"/m\"}");
        assertThat(JSON.writeValueAsString(FirecrackerPlan.start().body()))
                .isEqualTo("{\"action_type\":\"InstanceStart\"}");
        assertThat(JSON.writeValueAsString(FirecrackerPlan.ctrlAltDel().body()))
                .isEqualTo("{\"action_type\":\"SendCtrlAltDel\"}");
    }
}
