package dev.banger.vm.boot;

import dev.banger.capability.Capability;
import dev.banger.capability.MachineDevices;
import dev.banger.capability.VmContext;
import dev.banger.capability.WorkDiskCapability;
import dev.banger.guestconfig.ConfigDrive;
import dev.banger.guestconfig.GuestConfig;
import dev.banger.guestconfig.GuestConfigBuilder;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.host.disk.DiskFormat;
import dev.banger.image.ImageManifest;
import dev.banger.model.Image;
import dev.banger.model.Vm;
import dev.banger.vm.host.Backends;
import dev.banger.vm.host.HostKeys;
import dev.banger.vm.snapshot.GoldenSnapshot;
import dev.banger.vm.snapshot.SnapshotShape;
import dev.banger.vm.state.VmRuntime;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one factory of {@link MachineSpec}, and the capabilities' host side. A VM's spec: the root
 * disk first, then what the capabilities contribute, the guest configuration rendered onto the
 * kernel command line for the backend, the NIC on the VM's TAP; create and start share it, so a
 * restarted VM boots exactly like a new one. A warm machine's spec ({@link #warm}) is the generic
 * variant of it. Thread-safe.
 */
public final class Machines {
    /** The vsock CID of every warm machine: any valid guest CID, since no agent is asked before it becomes a VM. */
    static final int WARM_CID = 3;
    static final String CONFIG_DRIVE_ID = "config";
    /** A warm machine's config drive, in the VM's directory once it became the VM. */
    public static final String CONFIG_FILE = "config.img";

    private final List<Capability> capabilities;
    private final int prefixLength;
    private final int agentPort;
    private final HostKeys keys;

    public Machines(List<Capability> capabilities, int prefixLength, int agentPort, HostKeys keys) {
        this.capabilities = List.copyOf(capabilities);
        this.prefixLength = prefixLength;
        this.agentPort = agentPort;
        this.keys = keys;
    }

    /**
     * Whether the image's guests take their SSH host key from the config drive (built by a banger
     * that makes the keys), so none makes its own at boot and the daemon knows it beforehand.
     */
    public static boolean takesHostKey(Image image) {
        return ImageManifest.of(image).map(ImageManifest::identityOverAgent).orElse(false);
    }

    /**
     * Whether the image's guests mount what their configuration lists ({@code banger.mount=} words),
     * the work disk on {@code /root} included, rather than {@code /root} from their fstab.
     */
    public static boolean mountsFromConfig(Image image) {
        return ImageManifest.of(image).map(ImageManifest::mountsFromConfig).orElse(false);
    }

    public VmContext context(Vm vm, VmRuntime runtime) {
        return new VmContext(vm.name(), vm.network().ip(), prefixLength, runtime.vmDir(), runtime.workDisk());
    }

    /** Runs every capability's host preparation; on failure, tears down those already prepared. */
    public void prepare(VmContext context) {
        List<Capability> done = new ArrayList<>();
        try {
            for (Capability capability : capabilities) {
                capability.prepare(context);
                done.add(capability);
            }
        } catch (RuntimeException e) {
            teardown(context, done);
            throw e;
        }
    }

    /** Waits for host state the capabilities finish in the background; before the guest runs. */
    public void awaitReady(VmContext context) {
        for (Capability capability : capabilities) {
            capability.awaitReady(context);
        }
    }

    public void teardown(VmContext context) {
        teardown(context, capabilities);
    }

    private static void teardown(VmContext context, List<Capability> capabilities) {
        for (Capability capability : capabilities.reversed()) {
            capability.teardown(context);
        }
    }

    /** @param withConfigDrive whether the guest gets its config drive ({@link #takesHostKey}: its SSH host key is there) */
    public MachineSpec spec(Vm vm, Image image, VmRuntime runtime, Vmm vmm, boolean withConfigDrive) {
        MachineDevices devices = new MachineDevices();
        devices.drive(new MachineSpec.Drive("root", runtime.rootDisk().path(), runtime.rootDisk().format(), false));
        GuestConfig guest = contribute(vm, image, runtime, devices);
        if (withConfigDrive) {
            devices.drive(configDrive(runtime.vmDir()));
        }
        return new MachineSpec(vm.name(), runtime.vmDir(), vm.vcpus(), vm.memoryMib(), image.kernel(), image.initrd(),
                Backends.kernelLine(vmm).render(guest), devices.drives(), new MachineSpec.Nic(runtime.tap(), vm.network().mac()),
                vm.network().vsockCid(), agentPort);
    }

    /**
     * A warm machine's spec: no VM yet, so no capability contributes. It gets the backend's base
     * kernel command line only (the VM's settings come later on the config drive), an empty config
     * drive, a MAC that only has to be unique until the guest sets the VM's own from that drive,
     * vsock CID {@link #WARM_CID} and agent port 0 (nothing asks its agent before it is a VM; the
     * VM's CID is not known when it starts, and QEMU's agent is on virtio-serial anyway).
     */
    public static MachineSpec warm(long serial, Path dir, int vcpus, int memoryMib, Path kernel, Path initrd, Vmm vmm,
            ClonedDisk root, ClonedDisk work, Path configDrive, String tap) {
        List<MachineSpec.Drive> drives = List.of(
                new MachineSpec.Drive("root", root.path(), root.format(), false),
                new MachineSpec.Drive(WorkDiskCapability.DRIVE_ID, work.path(), work.format(), false),
                new MachineSpec.Drive(CONFIG_DRIVE_ID, configDrive, DiskFormat.RAW, true, ConfigDrive.SERIAL));
        String mac = String.format("02:b9:%02x:%02x:%02x:%02x", (serial >> 24) & 0xff, (serial >> 16) & 0xff,
                (serial >> 8) & 0xff, serial & 0xff);
        return new MachineSpec("warm-" + serial, dir, vcpus, memoryMib, kernel, initrd, unaddressedBootArgs(vmm), drives,
                new MachineSpec.Nic(tap, mac), WARM_CID, 0);
    }

    /**
     * A warm machine that waits restored from {@code snapshot}: the snapshot's machine, as for
     * {@link #restored}, on the warm machine's own overlays of the frozen disks, config drive and TAP.
     */
    public static MachineSpec warmRestored(long serial, Path dir, Path kernel, Path initrd, GoldenSnapshot snapshot, ClonedDisk root,
            ClonedDisk work, Path configDrive, String tap) {
        SnapshotShape shape = snapshot.shape();
        List<MachineSpec.Drive> drives = List.of(
                new MachineSpec.Drive("root", root.path(), root.format(), false),
                new MachineSpec.Drive(WorkDiskCapability.DRIVE_ID, work.path(), work.format(), false),
                new MachineSpec.Drive(CONFIG_DRIVE_ID, configDrive, DiskFormat.RAW, true, ConfigDrive.SERIAL));
        return new MachineSpec("warm-" + serial, dir, shape.vcpus(), shape.memoryMib(), kernel, initrd, shape.bootArgs(), drives,
                new MachineSpec.Nic(tap, snapshot.meta().mac()), WARM_CID, 0);
    }

    /** The kernel command line of a machine made before any VM (warm, golden): the backend's base line alone. */
    public static String unaddressedBootArgs(Vmm vmm) {
        return String.join(" ", Backends.kernelLine(vmm).baseArgs());
    }

    /**
     * A restored VM's machine: the one its golden snapshot saved (sizes, kernel, boot arguments, the
     * drives in the same order, the NIC's MAC), on this VM's disks, config drive and TAP.
     */
    public MachineSpec restored(Vm vm, Image image, VmRuntime runtime, GoldenSnapshot snapshot) {
        SnapshotShape shape = snapshot.shape();
        List<MachineSpec.Drive> drives = List.of(
                new MachineSpec.Drive("root", runtime.rootDisk().path(), runtime.rootDisk().format(), false),
                new MachineSpec.Drive(WorkDiskCapability.DRIVE_ID, runtime.workDisk(), DiskFormat.ofFile(runtime.workDisk()), false),
                configDrive(runtime.vmDir()));
        return new MachineSpec(vm.name(), runtime.vmDir(), shape.vcpus(), shape.memoryMib(), image.kernel(), image.initrd(),
                shape.bootArgs(), drives, new MachineSpec.Nic(runtime.tap(), snapshot.meta().mac()), WARM_CID, agentPort);
    }

    /** What the capabilities tell this VM's guest: hostname, address, gateway, resolvers, mounts. */
    public GuestConfig guestConfig(Vm vm, Image image, VmRuntime runtime) {
        return contribute(vm, image, runtime, new MachineDevices());
    }

    /**
     * The config drive of a machine made before any VM (a golden snapshot's): no VM's settings, so
     * its guest leaves its network alone; the work disk's mount when the image's guests mount it from
     * their configuration; and {@code hostPrivateKey}, so sshd starts without the guest making keys.
     */
    public static byte[] unaddressedConfigDrive(Image image, String hostPrivateKey) {
        return ConfigDrive.unaddressed(mountsFromConfig(image) ? List.of(WorkDiskCapability.MOUNT) : List.of(), hostPrivateKey);
    }

    private static MachineSpec.Drive configDrive(Path vmDir) {
        return new MachineSpec.Drive(CONFIG_DRIVE_ID, vmDir.resolve(CONFIG_FILE), DiskFormat.RAW, true, ConfigDrive.SERIAL);
    }

    /**
     * The VM's {@link ConfigDrive}: what a warm machine's guest reads instead of the kernel command
     * line it was started with, and, {@code withHostKey}, the SSH host key made for the VM.
     */
    public byte[] configDrive(Vm vm, Image image, VmRuntime runtime, boolean withHostKey) {
        String key = withHostKey ? keys.of(runtime.vmDir()).privateKey() : null;
        return ConfigDrive.content(contribute(vm, image, runtime, new MachineDevices()), vm.network().mac(), key);
    }

    private GuestConfig contribute(Vm vm, Image image, VmRuntime runtime, MachineDevices devices) {
        VmContext context = new VmContext(vm.name(), vm.network().ip(), prefixLength, runtime.vmDir(), runtime.workDisk(),
                mountsFromConfig(image));
        GuestConfigBuilder guest = GuestConfig.builder();
        for (Capability capability : capabilities) {
            capability.contribute(context, devices, guest.from(capability.name()));
        }
        return guest.build();
    }
}
