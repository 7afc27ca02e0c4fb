package dev.banger.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.disk.DiskFormat;
import dev.banger.model.ErrorKind;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.MachineSpec.Drive;
import dev.banger.vmm.SnapshotFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {
    private static final Path VM_DIR = Path.of("/var/lib/banger/vms/dev1");
    private static final OptionalLong TSC = OptionalLong.of(2_596_132);

    private static MachineSpec spec(Path vmDir, Path initrd, List<Drive> drives, MachineSpec.Nic nic) {
        return new MachineSpec("dev1", vmDir, 2, 1024, Path.of("/b/kernel/vmlinux"), initrd,
                "console=ttyS0 reboot=k panic=1 pci=off root=/dev/vda rw", drives, nic, 3, 10000);
    }

    private static MachineSpec full() {
        return spec(VM_DIR, Path.of("/b/kernel/initrd.img"),
                List.of(new Drive("root", Path.of("/var/lib/banger/vms/dev1/root.qcow2"), DiskFormat.QCOW2, false),
                        new Drive("work", Path.of("/var/lib/banger/vms/dev1/work.ext4"), DiskFormat.RAW, false),
                        new Drive("seed", Path.of("/images/seed.ext4"), DiskFormat.RAW, true)),
                new MachineSpec.Nic("tap-dev1", "02:fc:00:00:00:05"));
    }

    @Test
    void kvmMachineIsAFirecrackerShapedMicrovmThatDaemonises() {
        assertThat(QemuCommandLine.plan("qemu-system-x86_64", full(), QemuAccel.KVM, TSC)).containsExactly(
                "qemu-system-x86_64",
                "-name", "guest=dev1",
                "-M", "microvm",
                "-accel", "kvm",
                "-cpu", "host",
                "-smp", "2",
                "-m", "1024M",
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-kernel", "/b/kernel/vmlinux",
                "-initrd", "/b/kernel/initrd.img",
                "-append", "console=ttyS0 reboot=k panic=1 pci=off root=/dev/vda rw",
                "-device", "i8042",
                "-drive", "id=root,file=/var/lib/banger/vms/dev1/root.qcow2,format=qcow2,if=none,readonly=off",
                "-device", "virtio-blk-device,drive=root",
                "-drive", "id=work,file=/var/lib/banger/vms/dev1/work.ext4,format=raw,if=none,readonly=off",
                "-device", "virtio-blk-device,drive=work",
                "-drive", "id=seed,file=/images/seed.ext4,format=raw,if=none,readonly=on",
                "-device", "virtio-blk-device,drive=seed",
                "-netdev", "tap,id=net0,ifname=tap-dev1,script=no,downscript=no",
                "-device", "virtio-net-device,netdev=net0,mac=02:fc:00:00:00:05",
                "-device", "virtio-rng-device",
                "-device", "virtio-serial-device",
                "-chardev", "socket,id=agent,path=/var/lib/banger/vms/dev1/agent.sock,server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=org.banger.agent.0",
                "-chardev", "socket,id=qmp,path=/var/lib/banger/vms/dev1/qmp.sock,server=on,wait=off",
                "-mon", "chardev=qmp,mode=control",
                "-chardev", "file,id=console,path=/var/lib/banger/vms/dev1/console.log",
                "-serial", "chardev:console",
                "-S",
                "-daemonize",
                "-pidfile", "/var/lib/banger/vms/dev1/qemu.pid");
    }

    @Test
    void tcgUsesTheMaxCpuAndTellsTheGuestItsTscFrequency() {
        List<String> argv = QemuCommandLine.plan("qemu-system-x86_64", full(), QemuAccel.TCG, TSC);

        assertThat(argv).containsSequence("-accel", "tcg", "-cpu", "max")
                .containsSequence("-append", "console=ttyS0 reboot=k panic=1 pci=off root=/dev/vda rw tsc_early_khz=2596132")
                .doesNotContain("host", "kvm");
    }

    @Test
    void aTscFrequencyTheCallerAlreadySetIsKept() {
        assertThat(QemuCommandLine.bootArgs("console=ttyS0 tsc_early_khz=1000", QemuAccel.TCG, TSC))
                .isEqualTo("console=ttyS0 tsc_early_khz=1000");
        assertThat(QemuCommandLine.bootArgs("console=ttyS0 tsc_early_khz=1000", QemuAccel.TCG, OptionalLong.empty()))
                .isEqualTo("console=ttyS0 tsc_early_khz=1000");
    }

    @Test
    void tcgWithoutAKnownTscFrequencyIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> QemuCommandLine.plan("qemu-system-x86_64", full(), QemuAccel.TCG, OptionalLong.empty()))
                .isInstanceOf(QemuException.class)
                .satisfies(e -> assertThat(((QemuException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED))
                .hasMessageContaining("tsc_early_khz");
    }

    @Test
    void kvmNeedsNoTscFrequency() {
        assertThat(QemuCommandLine.plan("qemu-system-x86_64", full(), QemuAccel.KVM, OptionalLong.empty()))
                .noneMatch(arg -> arg.contains("tsc_early_khz"));
    }

    @Test
    void machineWithoutInitrdOrNicHasNeitherOption() {
        List<String> argv = QemuCommandLine.plan("/opt/qemu/bin/qemu-system-x86_64",
                spec(VM_DIR, null, List.of(), null), QemuAccel.KVM, TSC);

        assertThat(argv.getFirst()).isEqualTo("/opt/qemu/bin/qemu-system-x86_64");
        assertThat(argv).doesNotContain("-initrd", "-netdev", "-drive")
                .noneMatch(arg -> arg.startsWith("virtio-net-device") || arg.startsWith("virtio-blk-device"));
    }

    @Test
    void commasInPathsAreDoubledInsideOptionsButNotInStandAloneArguments() {
        Path dir = Path.of("/tmp/vm,1");
        List<String> argv = QemuCommandLine.plan("qemu-system-x86_64",
                spec(dir, null, List.of(new Drive("root", dir.resolve("root,a.ext4"), DiskFormat.RAW, false)), null),
                QemuAccel.KVM, TSC);

        assertThat(argv)
                .contains("id=root,file=/tmp/vm,,1/root,,a.ext4,format=raw,if=none,readonly=off")
                .contains("socket,id=agent,path=/tmp/vm,,1/agent.sock,server=on,wait=off")
                .contains("socket,id=qmp,path=/tmp/vm,,1/qmp.sock,server=on,wait=off")
                .contains("file,id=console,path=/tmp/vm,,1/console.log")
                .containsSequence("-pidfile", "/tmp/vm,1/qemu.pid");
    }

    @Test
    void aVmNameWithACommaCannotInjectNameOptions() {
        MachineSpec spec = new MachineSpec("a,debug-threads=on", VM_DIR, 1, 256, Path.of("/k"), null, "", List.of(), null, 3, 1);

        assertThat(QemuCommandLine.plan("qemu-system-x86_64", spec, QemuAccel.KVM, TSC))
                .containsSequence("-name", "guest=a,,debug-threads=on");
    }

    @Test
    void relativePathsBecomeAbsoluteBecauseTheDaemonisedQemuChangesToRoot() {
        List<String> argv = QemuCommandLine.plan("qemu-system-x86_64",
                spec(Path.of("vms/dev1"), null, List.of(new Drive("root", Path.of("root.ext4"), DiskFormat.RAW, false)), null),
                QemuAccel.KVM, TSC);

        String cwd = Path.of("").toAbsolutePath().toString();
        assertThat(argv).contains("id=root,file=" + cwd + "/root.ext4,format=raw,if=none,readonly=off")
                .containsSequence("-pidfile", cwd + "/vms/dev1/qemu.pid");
    }

    @Test
    void driveIdsThatQemuWouldMisreadAreRefused() {
        for (String id : List.of("1root", "root,file=/etc/shadow", "", "a b")) {
            MachineSpec spec = spec(VM_DIR, null, List.of(new Drive(id, Path.of("/d"), DiskFormat.RAW, false)), null);
            assertThatThrownBy(() -> QemuCommandLine.plan("qemu-system-x86_64", spec, QemuAccel.KVM, TSC))
                    .as(id)
                    .isInstanceOf(QemuException.class)
                    .satisfies(e -> assertThat(((QemuException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                    .hasMessageContaining("drive id '" + id + "'");
        }
    }

    @Test
    void aDriveSerialIsWhatTheGuestFindsItsConfigDriveByAndCannotInjectOptions() {
        MachineSpec spec = spec(VM_DIR, null, List.of(new Drive("config", Path.of("/c.img"), DiskFormat.RAW, true, "banger-config")),
                null);

        assertThat(QemuCommandLine.plan("qemu-system-x86_64", spec, QemuAccel.KVM, TSC))
                .containsSequence("-device", "virtio-blk-device,drive=config,serial=banger-config");
        for (String serial : List.of("", "a,drive=root", "twenty-one-characters")) {
            MachineSpec bad = spec(VM_DIR, null, List.of(new Drive("config", Path.of("/c.img"), DiskFormat.RAW, true, serial)), null);
            assertThatThrownBy(() -> QemuCommandLine.plan("qemu-system-x86_64", bad, QemuAccel.KVM, TSC))
                    .as(serial)
                    .hasMessageContaining("drive serial '" + serial + "'");
        }
    }

    @Test
    void aDriveIdUsedTwiceIsRefused() {
        MachineSpec spec = spec(VM_DIR, null, List.of(new Drive("root", Path.of("/a"), DiskFormat.RAW, false),
                new Drive("root", Path.of("/b"), DiskFormat.RAW, false)), null);

        assertThatThrownBy(() -> QemuCommandLine.plan("qemu-system-x86_64", spec, QemuAccel.KVM, TSC))
                .hasMessageContaining("drive id 'root' is used twice");
    }

    @Test
    void badTapNamesAndMacsAreRefused() {
        assertThatThrownBy(() -> QemuCommandLine.plan("qemu-system-x86_64",
                spec(VM_DIR, null, List.of(), new MachineSpec.Nic("tap0,script=/x", "02:fc:00:00:00:05")), QemuAccel.KVM, TSC))
                .hasMessageContaining("TAP name 'tap0,script=/x'");
        assertThatThrownBy(() -> QemuCommandLine.plan("qemu-system-x86_64",
                spec(VM_DIR, null, List.of(), new MachineSpec.Nic("tap0", "02:FC:00:00:00")), QemuAccel.KVM, TSC))
                .hasMessageContaining("MAC '02:FC:00:00:00'");
    }

    @Test
    void aVmDirectoryTooLongForAUnixSocketIsRefusedNamingTheLimit() {
        Path deep = Path.of("/var/lib/banger/vms/" + "x".repeat(90));

        assertThatThrownBy(() -> QemuCommandLine.plan("qemu-system-x86_64", spec(deep, null, List.of(), null), QemuAccel.KVM, TSC))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("agent.sock is 121 bytes long")
                .hasMessageContaining("at most 107");
    }

    @Test
    void aRestoreIsTheSameMachineThatReadsTheSavedStreamStillPaused() {
        Path state = Path.of("/var/lib/banger/images/base/snapshot/state");

        List<String> restore = QemuCommandLine.planRestore("qemu-system-x86_64", full(), QemuAccel.TCG, TSC,
                new SnapshotFiles(state, Optional.empty()));

        List<String> boot = QemuCommandLine.plan("qemu-system-x86_64", full(), QemuAccel.TCG, TSC);
        assertThat(restore).startsWith(boot.toArray(String[]::new)).hasSize(boot.size() + 2).contains("-S")
                .endsWith("-incoming", "exec:exec cat /var/lib/banger/images/base/snapshot/state 2>/dev/null");
    }

    @Test
    void aMachineToBeSavedMapsItsMemoryFileSharedAndOneRestoredFromItMapsItPrivateAndWaitsForTheLoad() {
        Path memory = Path.of("/var/lib/banger/warm/golden-1/mem,ory");
        List<String> saved = QemuCommandLine.plan("qemu-system-x86_64", full(), QemuAccel.TCG, TSC,
                Optional.of(new QemuCommandLine.MemoryFile(memory, true)));
        List<String> restored = QemuCommandLine.planRestore("qemu-system-x86_64", full(), QemuAccel.TCG, TSC,
                new SnapshotFiles(Path.of("/snap/state"), Optional.of(Path.of("/snap/memory"))));

        int memoryMib = full().memoryMib();
        assertThat(saved).containsSubsequence("-M", "microvm,memory-backend=ram")
                .containsSubsequence("-m", memoryMib + "M", "-object",
                        "memory-backend-file,id=ram,size=" + memoryMib + "M,mem-path=/var/lib/banger/warm/golden-1/mem,,ory,share=on")
                .doesNotContain("-incoming");
        assertThat(restored).containsSubsequence("-object",
                        "memory-backend-file,id=ram,size=" + memoryMib + "M,mem-path=/snap/memory,share=off")
                .containsSubsequence("-M", "microvm,memory-backend=ram")
                .endsWith("-incoming", "defer");
        List<String> plain = QemuCommandLine.plan("qemu-system-x86_64", full(), QemuAccel.TCG, TSC);
        assertThat(plain).containsSubsequence("-M", "microvm").doesNotContain("-object", "microvm,memory-backend=ram");
    }

    @Test
    void aStatePathTheShellWouldReadAsCodeIsRefused() {
        for (String path : List.of("/snap/state; rm -rf ~", "/snap/$(id)", "/snap/a b", "/snap/`x`", "/snap/a|b",
                "/snap/a>b", "/snap/a,b", "/snap/*", "/snap/a'b", "/snap/a\nb")) {
            assertThatThrownBy(() -> QemuCommandLine.planRestore("qemu-system-x86_64", full(), QemuAccel.KVM, TSC,
                    new SnapshotFiles(Path.of(path), Optional.of(Path.of("/snap/memory")))))
                    .as(path)
                    .isInstanceOf(QemuException.class)
                    .satisfies(e -> assertThat(((QemuException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                    .hasMessageContaining("snapshot file " + path)
                    .hasMessageContaining("only letters, digits and / . _ + -");
        }
    }

    @Test
    void theSaveUriWritesIntoTheStateFileThroughTheSameCheck() {
        assertThat(MigrationUris.save(Path.of("/var/lib/banger/images/base-1.2_x+y/snapshot/state")))
                .isEqualTo("exec:cat > /var/lib/banger/images/base-1.2_x+y/snapshot/state");
        assertThatThrownBy(() -> MigrationUris.save(Path.of("/tmp/x&y/state")))
                .hasMessageContaining("snapshot file /tmp/x&y/state");
    }
}
