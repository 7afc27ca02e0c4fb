package dev.banger.vmm.firecracker;

import dev.banger.host.disk.DiskFormat;
import dev.banger.model.ErrorKind;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.VmmException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides the API calls that configure and boot one machine, in the order Firecracker needs
 * them: logger, metrics, machine config, boot source, drives (the first is the root device),
 * the NIC, vsock, entropy, then {@code InstanceStart}. Pure: it validates the spec against Firecracker's
 * own rules first, so a spec Firecracker would refuse fails here, before anything is spawned.
 * Stateless and thread-safe.
 */
public final class FirecrackerPlan {
    /** The guest NIC's id: the only one banger attaches. */
    public static final String GUEST_IFACE = "eth0";

    /** Firecracker's vCPU range. */
    static final int MAX_VCPUS = 32;

    /** {@code sun_path} holds 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    /** Firecracker's own rule for drive ids: alphanumeric and underscore, at most 64. */
    private static final Pattern DRIVE_ID = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    /** IFNAMSIZ is 16 bytes including the NUL; no slashes or blanks. */
    private static final Pattern TAP = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final long MAX_CID = 0xFFFF_FFFFL;

    private FirecrackerPlan() {
    }

    /**
     * The calls that configure the machine described by {@code spec} and start it, for a
     * Firecracker launched directly (its files in the VM directory).
     *
     * @throws VmmException ({@link ErrorKind#INVALID_ARGUMENT}) when Firecracker could not run this spec
     */
    public static List<ApiCall> configure(MachineSpec spec) {
        return configure(spec, new FirecrackerLayout(spec.vmDir()));
    }

    /**
     * The calls that configure the machine described by {@code spec} and start it, for a
     * Firecracker whose own files are at {@code paths}. Every file named in a call (kernel,
     * initrd, drives, log, metrics, vsock) must be reachable by that Firecracker and is named
     * as it sees it: for a jailed one, pass the spec a {@link JailPlan} rewrote.
     *
     * @throws VmmException ({@link ErrorKind#INVALID_ARGUMENT}) when Firecracker could not run this spec
     */
    public static List<ApiCall> configure(MachineSpec spec, FirecrackerPaths paths) {
        validate(spec, paths);
        List<ApiCall> calls = new ArrayList<>();
        calls.add(ApiCall.put("/logger", new Logger(seen(paths, paths.vmmLog(), spec), Logger.Level.INFO)));
        calls.add(ApiCall.put("/metrics", new Metrics(seen(paths, paths.metrics(), spec))));
        calls.add(ApiCall.put("/machine-config", new MachineConfiguration(spec.vcpus(), spec.memoryMib(), false)));
        calls.add(ApiCall.put("/boot-source", new BootSource(seen(paths, spec.kernel(), spec),
                spec.initrd() == null ? null : seen(paths, spec.initrd(), spec), spec.bootArgs())));
        for (int i = 0; i < spec.drives().size(); i++) {
            MachineSpec.Drive drive = spec.drives().get(i);
            calls.add(ApiCall.put("/drives/" + drive.id(),
                    new Drive(drive.id(), seen(paths, drive.path(), spec), i == 0, drive.readOnly())));
        }
        if (spec.nic() != null) {
            calls.add(ApiCall.put("/network-interfaces/" + GUEST_IFACE,
                    new NetworkInterface(GUEST_IFACE, spec.nic().tap(), spec.nic().mac())));
        }
        calls.add(ApiCall.put("/vsock", new Vsock(spec.vsockCid(), seen(paths, paths.vsockSocket(), spec))));
        calls.add(ApiCall.put("/entropy", new EntropyDevice()));
        calls.add(start());
        return List.copyOf(calls);
    }

    /**
     * The calls that start a machine from a snapshot instead: the logger and metrics (the only
     * configuration Firecracker takes before a load), then {@code PUT /snapshot/load} with this
     * machine's TAP for the guest NIC and its vsock socket, the vCPUs left paused until
     * {@link #resumeLoaded()}. Every other device comes from the snapshot as saved, drives included
     * (re-opened at the paths recorded in it). {@code state} and {@code memory} are host paths
     * Firecracker can reach.
     *
     * @throws VmmException ({@link ErrorKind#INVALID_ARGUMENT}) when Firecracker could not run this spec
     */
    public static List<ApiCall> restore(MachineSpec spec, FirecrackerPaths paths, Path state, Path memory) {
        validate(spec, paths);
        List<SnapshotLoadParams.NetworkOverride> taps = spec.nic() == null ? List.of()
                : List.of(new SnapshotLoadParams.NetworkOverride(GUEST_IFACE, spec.nic().tap()));
        return List.of(
                ApiCall.put("/logger", new Logger(seen(paths, paths.vmmLog(), spec), Logger.Level.INFO)),
                ApiCall.put("/metrics", new Metrics(seen(paths, paths.metrics(), spec))),
                ApiCall.put("/snapshot/load", new SnapshotLoadParams(seen(paths, state, spec),
                        SnapshotLoadParams.MemoryBackend.file(seen(paths, memory, spec)), false, taps,
                        new SnapshotLoadParams.VsockOverride(seen(paths, paths.vsockSocket(), spec)))));
    }

    /** Stops the vCPUs of a running machine, as a snapshot needs. */
    public static ApiCall pause() {
        return ApiCall.patch("/vm", new VmState(VmState.State.PAUSED));
    }

    /** Lets a paused machine (one loaded from a snapshot, or paused for one) run. */
    public static ApiCall resumeLoaded() {
        return ApiCall.patch("/vm", new VmState(VmState.State.RESUMED));
    }

    /** Writes the paused machine to {@code state} and {@code memory}, named as Firecracker sees them. */
    public static ApiCall createSnapshot(String state, String memory) {
        return ApiCall.put("/snapshot/create", SnapshotCreateParams.full(state, memory));
    }

    /** Points a running machine's drive at {@code pathOnHost} again, so Firecracker re-reads its size. */
    public static ApiCall rereadDrive(String driveId, String pathOnHost) {
        return ApiCall.patch("/drives/" + driveId, new PartialDrive(driveId, pathOnHost));
    }

    /** Boots the configured machine. */
    public static ApiCall start() {
        return ApiCall.put("/actions", new InstanceActionInfo(InstanceActionInfo.ActionType.INSTANCE_START));
    }

    /** Asks the guest to shut down: with {@code reboot=k} on its command line, Firecracker then exits. */
    public static ApiCall ctrlAltDel() {
        return ApiCall.put("/actions", new InstanceActionInfo(InstanceActionInfo.ActionType.SEND_CTRL_ALT_DEL));
    }

    private static String seen(FirecrackerPaths paths, Path hostPath, MachineSpec spec) {
        try {
            return paths.seenByFirecracker(hostPath);
        } catch (IllegalArgumentException e) {
            throw invalid("VM " + spec.name() + ": Firecracker cannot reach " + hostPath + ": " + e.getMessage());
        }
    }

    /** Firecracker's own rules, checked on the spec as given; {@code paths} only for the socket lengths. */
    static void validate(MachineSpec spec, FirecrackerPaths paths) {
        String vm = "VM " + spec.name() + ": ";
        if (spec.vcpus() > MAX_VCPUS) {
            throw invalid(vm + "Firecracker supports at most " + MAX_VCPUS + " vCPUs, asked for " + spec.vcpus());
        }
        Set<String> ids = new HashSet<>();
        for (MachineSpec.Drive drive : spec.drives()) {
            if (drive.format() != DiskFormat.RAW) {
                throw invalid(vm + "drive '" + drive.id() + "' (" + drive.path() + ") is " + drive.format()
                        + ", but Firecracker only boots raw disk images; use a raw clone strategy or the QEMU backend");
            }
            if (!DRIVE_ID.matcher(drive.id()).matches()) {
                throw invalid(vm + "drive id '" + drive.id()
                        + "' is not a Firecracker drive id (1-64 letters, digits or '_')");
            }
            if (!ids.add(drive.id())) {
                throw invalid(vm + "drive id '" + drive.id() + "' is used twice");
            }
        }
        if (spec.nic() != null) {
            if (!TAP.matcher(spec.nic().tap()).matches()) {
                throw invalid(vm + "TAP name '" + spec.nic().tap() + "' is not a valid interface name");
            }
            if (!MAC.matcher(spec.nic().mac()).matches()) {
                throw invalid(vm + "guest MAC '" + spec.nic().mac()
                        + "' is not six lower-case hex pairs separated by ':'");
            }
        }
        if (spec.vsockCid() < 3 || spec.vsockCid() > MAX_CID) {
            throw invalid(vm + "vsock CID must be between 3 and " + MAX_CID + ", got " + spec.vsockCid());
        }
        for (Path socket : List.of(paths.apiSocket(), paths.vsockSocket())) {
            if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
                throw invalid(vm + "socket path " + socket + " is longer than the " + MAX_SOCKET_PATH_BYTES
                        + " bytes a Unix socket address holds; use a shorter state directory");
            }
        }
    }

    /**
     * Refuses what is not a Firecracker drive id, before it becomes a path or part of one.
     *
     * @throws VmmException ({@link ErrorKind#INVALID_ARGUMENT})
     */
    static void requireDriveId(String id) {
        if (!DRIVE_ID.matcher(id).matches()) {
            throw invalid("drive id '" + id + "' is not a Firecracker drive id (1-64 letters, digits or '_')");
        }
    }

    private static VmmException invalid(String message) {
        return new VmmException(ErrorKind.INVALID_ARGUMENT, message);
    }
}
