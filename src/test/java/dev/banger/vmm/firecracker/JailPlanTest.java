package dev.banger.vmm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.disk.DiskFormat;
import dev.banger.model.ErrorKind;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.SnapshotFiles;
import dev.banger.vmm.VmmException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class JailPlanTest {
    private static final Path VM_DIR = Path.of("/var/lib/banger/vms/dev1");
    private static final JailLayout JAIL = new JailLayout(VM_DIR, "firecracker", "dev1");
    private static final Path ROOT = Path.of("/var/lib/banger/vms/dev1/jail/firecracker/dev1/root");
    private static final long STATE_FS = 2049;
    private static final long OTHER_FS = 66;

    /** The kernel on the state file system, the initrd elsewhere, the root disk a file, the work disk a dm device. */
    private static final Map<Path, JailPlan.Source> HOST = Map.of(
            Path.of("/var/lib/banger/images/debian/vmlinux"),
            regular("/var/lib/banger/images/debian/vmlinux", STATE_FS),
            Path.of("/var/lib/banger/images/debian/initrd.img"),
            regular("/opt/banger/lib/banger/initrd.img", OTHER_FS),
            VM_DIR.resolve("root.ext4"), regular(VM_DIR + "/root.ext4", STATE_FS),
            VM_DIR.resolve("work.ext4"), new JailPlan.Source(Path.of("/dev/dm-3"), JailPlan.Kind.BLOCK_DEVICE, 5, 253, 3));

    @Test
    void layoutPutsTheJailUnderTheVmDirectoryNamedAfterTheBinaryAndTheVm() {
        assertThat(JAIL.chrootBase()).isEqualTo(VM_DIR.resolve("jail"));
        assertThat(JAIL.root()).isEqualTo(ROOT);
        assertThat(JAIL.apiSocket()).isEqualTo(ROOT.resolve("firecracker.sock"));
        assertThat(JAIL.vsockSocket()).isEqualTo(ROOT.resolve("firecracker.vsock"));
        assertThat(JAIL.vmmLog()).isEqualTo(ROOT.resolve("firecracker-vmm.log"));
        assertThat(JAIL.consoleLog()).as("the jailer's stdout, outside the jail").isEqualTo(VM_DIR.resolve("firecracker.log"));
        assertThat(JAIL.seenByFirecracker(ROOT.resolve("drives/root"))).isEqualTo("/drives/root");
        assertThat(JAIL.seenByFirecracker(ROOT)).isEqualTo("/");
    }

    @Test
    void pathOutsideTheJailHasNoNameInsideIt() {
        assertThatThrownBy(() -> JAIL.seenByFirecracker(VM_DIR.resolve("root.ext4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is outside the jail " + ROOT);
        assertThatThrownBy(() -> JAIL.seenByFirecracker(ROOT.resolve("../../../../root.ext4")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bootFilesAreLinkedOrCopiedDrivesLinkedOrMadeAsDeviceNodesAndLogsCreated() {
        JailPlan plan = JailPlan.of(Specs.full(VM_DIR), JAIL, STATE_FS, probe(HOST));

        assertThat(plan.steps()).containsExactly(
                new JailPlan.Link(Path.of("/var/lib/banger/images/debian/vmlinux"), ROOT.resolve("boot/kernel")),
                new JailPlan.Copy(Path.of("/opt/banger/lib/banger/initrd.img"), ROOT.resolve("boot/initrd")),
                new JailPlan.Link(VM_DIR.resolve("root.ext4"), ROOT.resolve("drives/root")),
                new JailPlan.DeviceNode(ROOT.resolve("drives/work"), 253, 3),
                new JailPlan.EmptyFile(ROOT.resolve("firecracker-vmm.log")),
                new JailPlan.EmptyFile(ROOT.resolve("firecracker-metrics.json")));
    }

    @Test
    void rewrittenSpecNamesTheFilesInsideTheJailAndKeepsEverythingElse() {
        MachineSpec original = Specs.full(VM_DIR);

        MachineSpec jailed = JailPlan.of(original, JAIL, STATE_FS, probe(HOST)).spec();

        assertThat(jailed.kernel()).isEqualTo(ROOT.resolve("boot/kernel"));
        assertThat(jailed.initrd()).isEqualTo(ROOT.resolve("boot/initrd"));
        assertThat(jailed.drives()).containsExactly(
                new MachineSpec.Drive("root", ROOT.resolve("drives/root"), DiskFormat.RAW, false),
                new MachineSpec.Drive("work", ROOT.resolve("drives/work"), DiskFormat.RAW, false));
        assertThat(jailed.bootArgs()).isEqualTo(original.bootArgs());
        assertThat(jailed.nic()).isEqualTo(original.nic());
        assertThat(jailed.vsockCid()).isEqualTo(original.vsockCid());
        assertThat(jailed.vmDir()).isEqualTo(original.vmDir());
    }

    @Test
    void everyPathInTheJailedApiCallsIsRelativeToTheChroot() {
        JailPlan plan = JailPlan.of(Specs.full(VM_DIR), JAIL, STATE_FS, probe(HOST));

        assertThat(FirecrackerPlan.configure(plan.spec(), JAIL)).extracting(ApiCall::body).containsExactly(
                new Logger("/firecracker-vmm.log", Logger.Level.INFO),
                new Metrics("/firecracker-metrics.json"),
                new MachineConfiguration(2, 512, false),
                new BootSource("/boot/kernel", "/boot/initrd", Specs.BOOT_ARGS),
                new Drive("root", "/drives/root", true, false),
                new Drive("work", "/drives/work", false, false),
                new NetworkInterface("eth0", "tap-bg0", "02:fc:00:00:00:07"),
                new Vsock(7, "/firecracker.vsock"),
                new EntropyDevice(),
                new InstanceActionInfo(InstanceActionInfo.ActionType.INSTANCE_START));
    }

    @Test
    void hostPathOutsideTheJailInAJailedPlanIsRefused() {
        assertThatThrownBy(() -> FirecrackerPlan.configure(Specs.full(VM_DIR), JAIL))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("Firecracker cannot reach /var/lib/banger/images/debian/vmlinux")
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void machineWithoutInitrdGetsNoInitrdInTheJail() {
        MachineSpec base = Specs.full(VM_DIR);
        MachineSpec spec = new MachineSpec(base.name(), VM_DIR, 1, 256, base.kernel(), null, base.bootArgs(),
                base.drives(), null, 3, 10000);

        JailPlan plan = JailPlan.of(spec, JAIL, STATE_FS, probe(HOST));

        assertThat(plan.spec().initrd()).isNull();
        assertThat(plan.steps()).extracting(JailPlan.Step::target).doesNotContain(ROOT.resolve("boot/initrd"));
    }

    @Test
    void driveFileOnAnotherFileSystemIsRefusedBecauseACopyWouldLoseTheGuestsWrites() {
        Map<Path, JailPlan.Source> host = new HashMap<>(HOST);
        host.put(VM_DIR.resolve("root.ext4"), regular("/mnt/disks/root.ext4", OTHER_FS));

        assertThatThrownBy(() -> JailPlan.of(Specs.full(VM_DIR), JAIL, STATE_FS, probe(host)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("drive 'root' /mnt/disks/root.ext4 is on another file system than the jail")
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED));
    }

    @Test
    void missingKernelIsAPreconditionNamingIt() {
        Map<Path, JailPlan.Source> host = new HashMap<>(HOST);
        host.put(Path.of("/var/lib/banger/images/debian/vmlinux"), new JailPlan.Source(
                Path.of("/var/lib/banger/images/debian/vmlinux"), JailPlan.Kind.MISSING, 0, 0, 0));

        assertThatThrownBy(() -> JailPlan.of(Specs.full(VM_DIR), JAIL, STATE_FS, probe(host)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("kernel /var/lib/banger/images/debian/vmlinux does not exist");
    }

    @Test
    void characterDeviceAsADriveIsRefused() {
        Map<Path, JailPlan.Source> host = new HashMap<>(HOST);
        host.put(VM_DIR.resolve("work.ext4"), new JailPlan.Source(Path.of("/dev/null"), JailPlan.Kind.OTHER, 5, 1, 3));

        assertThatThrownBy(() -> JailPlan.of(Specs.full(VM_DIR), JAIL, STATE_FS, probe(host)))
                .hasMessageContaining("drive 'work' /dev/null is not a regular file or block device");
    }

    @Test
    void vmDirectoryShortEnoughForDirectSocketsButNotForTheJailedOnesIsRejected() {
        Path deep = Path.of("/var/lib/banger/" + "d".repeat(60));
        JailLayout jail = new JailLayout(deep, "firecracker", "dev1");

        FirecrackerPlan.configure(Specs.full(deep));
        assertThatThrownBy(() -> JailPlan.of(Specs.full(deep), jail, STATE_FS, path -> regular(path.toString(), STATE_FS)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining(jail.apiSocket().toString())
                .hasMessageContaining("longer than the 107 bytes");
    }

    @Test
    void specFirecrackerWouldRefuseIsRejectedBeforeAnythingIsProbed() {
        MachineSpec spec = Specs.withDrives(VM_DIR, List.of(
                new MachineSpec.Drive("root", VM_DIR.resolve("root.qcow2"), DiskFormat.QCOW2, false)));

        assertThatThrownBy(() -> JailPlan.of(spec, JAIL, STATE_FS, path -> {
            throw new AssertionError("probed " + path);
        })).hasMessageContaining("only boots raw");
    }

    @Test
    void jailNamedWithSomethingThatIsNotAFileNameIsRefused() {
        assertThatThrownBy(() -> new JailLayout(VM_DIR, "../firecracker", "dev1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JailLayout(VM_DIR, "firecracker", "dev_1"))
                .hasMessageContaining("'dev_1' is not a Firecracker instance id");
    }

    @Test
    void restoresJailIsTheBootsWithTheSnapshotLinkedInOrCopiedFromAnotherFileSystem() {
        Path state = Path.of("/var/lib/banger/snapshots/debian/firecracker.vmstate");
        Path memory = Path.of("/srv/big/firecracker.mem");
        Map<Path, JailPlan.Source> host = new HashMap<>(HOST);
        host.put(state, regular(state.toString(), STATE_FS));
        host.put(memory, regular(memory.toString(), OTHER_FS));
        JailPlan boot = JailPlan.of(Specs.full(VM_DIR), JAIL, STATE_FS, probe(HOST));

        JailPlan restore = boot.withSnapshot(new SnapshotFiles(state, Optional.of(memory)), STATE_FS, probe(host));

        assertThat(restore.spec()).as("the same drive paths as any other machine's").isEqualTo(boot.spec());
        assertThat(restore.steps()).startsWith(boot.steps().toArray(JailPlan.Step[]::new)).endsWith(
                new JailPlan.Link(state, ROOT.resolve("snapshot/state")),
                new JailPlan.Copy(memory, ROOT.resolve("snapshot/memory")));
        assertThat(FirecrackerPlan.restore(restore.spec(), JAIL, JAIL.snapshotState(), JAIL.snapshotMemory()))
                .extracting(ApiCall::body).last().isEqualTo(new SnapshotLoadParams("/snapshot/state",
                        new SnapshotLoadParams.MemoryBackend("File", "/snapshot/memory"), false,
                        List.of(new SnapshotLoadParams.NetworkOverride("eth0", "tap-bg0")),
                        new SnapshotLoadParams.VsockOverride("/firecracker.vsock")));
    }

    @Test
    void snapshotWithoutAMemoryFileOrWithAMissingOneIsAPrecondition() {
        Path state = Path.of("/var/lib/banger/snapshots/debian/firecracker.vmstate");
        Path memory = Path.of("/var/lib/banger/snapshots/debian/firecracker.mem");
        Map<Path, JailPlan.Source> host = new HashMap<>(HOST);
        host.put(state, regular(state.toString(), STATE_FS));
        host.put(memory, new JailPlan.Source(memory, JailPlan.Kind.MISSING, 0, 0, 0));
        JailPlan boot = JailPlan.of(Specs.full(VM_DIR), JAIL, STATE_FS, probe(HOST));

        assertThatThrownBy(() -> boot.withSnapshot(new SnapshotFiles(state, Optional.empty()), STATE_FS, probe(host)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("has no memory file")
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED));
        assertThatThrownBy(() -> boot.withSnapshot(new SnapshotFiles(state, Optional.of(memory)), STATE_FS, probe(host)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("snapshot memory " + memory + " does not exist");
    }

    private static JailPlan.Source regular(String path, long fileSystem) {
        return new JailPlan.Source(Path.of(path), JailPlan.Kind.REGULAR_FILE, fileSystem, 0, 0);
    }

    private static Function<Path, JailPlan.Source> probe(Map<Path, JailPlan.Source> host) {
        return path -> {
            JailPlan.Source source = host.get(path);
            if (source == null) {
                throw new AssertionError("unexpected probe of " + path);
            }
            return source;
        };
    }
}
