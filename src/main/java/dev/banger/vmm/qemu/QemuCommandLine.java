package dev.banger.vmm.qemu;

import dev.banger.model.ErrorKind;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.SnapshotFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Plans the {@code qemu-system-x86_64} argument list for a {@link MachineSpec}: a {@code -M microvm}
 * machine shaped like Firecracker's (virtio-mmio disks and NIC, an i8042 so that Ctrl-Alt-Del reaches
 * the guest and {@code -no-reboot} turns the guest's reboot into QEMU's exit), the agent on a
 * virtio-serial port, QMP and the console in the VM directory, and {@code -daemonize} so the process
 * leaves the caller's session, paused ({@code -S}) until the caller lets its vCPUs run. Pure: it validates and returns a list, it touches nothing. Stateless.
 *
 * <p>Values inside QEMU's {@code key=value,...} options have every comma doubled, QEMU's own escape,
 * so any path works; stand-alone arguments ({@code -kernel}, {@code -pidfile}) are passed verbatim.
 * Paths are made absolute first: a relative {@code file=} could be read as a protocol prefix
 * ({@code nbd:...}), and the daemonised QEMU changes its directory to {@code /}.
 */
public final class QemuCommandLine {
    /** The agent's virtio-serial port name; {@code guest/agent} opens {@code /dev/virtio-ports/} + this. */
    public static final String AGENT_PORT_NAME = "org.banger.agent.0";
    /** {@code sun_path} holds 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final Pattern DRIVE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,31}");
    /** virtio-blk serials are at most 20 bytes ({@code VIRTIO_BLK_ID_BYTES}). */
    private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9_-]{1,20}");
    private static final Pattern TAP_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final String TSC_ARG = "tsc_early_khz=";
    /** The id of the memory backend object of a machine whose RAM is a file. */
    private static final String RAM_ID = "ram";

    private QemuCommandLine() {
    }

    /**
     * The full argv, program first.
     *
     * @param binary     QEMU program (name on PATH or absolute path), from {@code [qemu] binary}
     * @param spec       the machine
     * @param accel      KVM or TCG, decided by the caller ({@link QemuAccel#choose})
     * @param hostTscKhz the host TSC frequency; required under TCG (see {@link HostTsc}), ignored under KVM
     * @throws QemuException ({@code invalid-argument}) for a drive id, TAP name, MAC or socket path QEMU
     *                       cannot take, ({@code precondition-failed}) under TCG without a TSC frequency
     */
    public static List<String> plan(String binary, MachineSpec spec, QemuAccel accel, OptionalLong hostTscKhz) {
        return plan(binary, spec, accel, hostTscKhz, Optional.empty());
    }

    /**
     * {@link #plan} with the guest's RAM in {@code memory} instead of QEMU's own anonymous memory.
     *
     * @throws QemuException as {@link #plan}
     */
    public static List<String> plan(String binary, MachineSpec spec, QemuAccel accel, OptionalLong hostTscKhz,
            Optional<MemoryFile> memory) {
        QemuFiles files = new QemuFiles(spec.vmDir());
        requireSocketPath(files.agentSocket());
        requireSocketPath(files.qmpSocket());

        List<String> argv = new ArrayList<>();
        argv.add(binary);
        add(argv, "-name", "guest=" + escape(spec.name()));
        add(argv, "-M", memory.isPresent() ? "microvm,memory-backend=" + RAM_ID : "microvm");
        add(argv, "-accel", accel.accelName());
        add(argv, "-cpu", accel.cpuModel());
        add(argv, "-smp", Integer.toString(spec.vcpus()));
        add(argv, "-m", spec.memoryMib() + "M");
        memory.ifPresent(file -> add(argv, "-object", "memory-backend-file,id=" + RAM_ID + ",size=" + spec.memoryMib()
                + "M,mem-path=" + escape(absolute(file.path())) + ",share=" + (file.shared() ? "on" : "off")));
        argv.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"));
        add(argv, "-kernel", absolute(spec.kernel()));
        if (spec.initrd() != null) {
            add(argv, "-initrd", absolute(spec.initrd()));
        }
        add(argv, "-append", bootArgs(spec.bootArgs(), accel, hostTscKhz));
        add(argv, "-device", "i8042");
        addDrives(argv, spec.drives());
        if (spec.nic() != null) {
            addNic(argv, spec.nic());
        }
        // A guest without an entropy source starves under TCG: ssh-keygen at first boot then waits
        // minutes for the kernel's random pool. QEMU's built-in backend feeds it from the host.
        add(argv, "-device", "virtio-rng-device");
        add(argv, "-device", "virtio-serial-device");
        add(argv, "-chardev", "socket,id=agent,path=" + escape(absolute(files.agentSocket())) + ",server=on,wait=off");
        add(argv, "-device", "virtserialport,chardev=agent,name=" + AGENT_PORT_NAME);
        add(argv, "-chardev", "socket,id=qmp,path=" + escape(absolute(files.qmpSocket())) + ",server=on,wait=off");
        add(argv, "-mon", "chardev=qmp,mode=control");
        add(argv, "-chardev", "file,id=console,path=" + escape(absolute(files.consoleLog())));
        add(argv, "-serial", "chardev:console");
        // Paused until QMP says "cont" (QemuVmm#resume): under TCG a running guest's vCPU threads
        // would take every core from the daemon while it still talks to QEMU.
        argv.add("-S");
        argv.add("-daemonize");
        add(argv, "-pidfile", absolute(files.pidFile()));
        return List.copyOf(argv);
    }

    /**
     * {@link #plan} for a machine that loads a saved one instead of booting: the same devices, which
     * QEMU matches to the stream by type, order and id. A snapshot whose memory is a file of its own
     * maps that file private (copy-on-write: every machine restored from it shares the unchanged
     * pages) and waits ({@code -incoming defer}) for the caller to turn on {@code x-ignore-shared} and
     * start the load ({@link QemuMigration#load}); one whose memory is in the stream reads it with
     * {@code -incoming}. Still {@code -S}: the loaded machine waits for {@code cont} as a booted one does.
     *
     * @throws QemuException ({@code invalid-argument}) as {@link #plan}, or for a state file path the
     *                       {@code exec:} URI cannot carry safely (see {@link MigrationUris})
     */
    public static List<String> planRestore(String binary, MachineSpec spec, QemuAccel accel, OptionalLong hostTscKhz,
            SnapshotFiles snapshot) {
        String load = MigrationUris.load(snapshot.state());
        Optional<MemoryFile> memory = snapshot.memory().map(file -> new MemoryFile(file, false));
        List<String> argv = new ArrayList<>(plan(binary, spec, accel, hostTscKhz, memory));
        add(argv, "-incoming", memory.isPresent() ? "defer" : load);
        return List.copyOf(argv);
    }

    /**
     * Guest RAM kept in a file rather than in QEMU's anonymous memory. Immutable value.
     *
     * @param path   the file, as large as the guest's memory (QEMU makes it so when it is shorter)
     * @param shared mapped shared, so the guest's pages land in the file (a machine to be saved), or
     *               private, so its writes stay its own (a machine restored from the file)
     */
    public record MemoryFile(Path path, boolean shared) {
        public MemoryFile {
            Objects.requireNonNull(path, "path");
        }
    }

    /** QEMU's escape for a value inside a {@code key=value,...} option: each comma is doubled. */
    static String escape(String value) {
        return value.replace(",", ",,");
    }

    /** Under TCG, adds the TSC frequency a microvm guest cannot measure unless the caller set one. */
    static String bootArgs(String bootArgs, QemuAccel accel, OptionalLong hostTscKhz) {
        if (accel != QemuAccel.TCG || (" " + bootArgs).contains(" " + TSC_ARG)) {
            return bootArgs;
        }
        if (hostTscKhz.isEmpty()) {
            throw new QemuException(ErrorKind.PRECONDITION_FAILED, "a -M microvm guest under TCG needs the host's TSC "
                    + "frequency on its kernel command line (" + TSC_ARG + "…), or its kernel hangs calibrating the "
                    + "TSC; /proc/cpuinfo does not state a constant TSC frequency on this host. Add " + TSC_ARG
                    + "<kHz> to the boot arguments, or use a host where KVM works");
        }
        return (bootArgs.isBlank() ? "" : bootArgs.strip() + " ") + TSC_ARG + hostTscKhz.getAsLong();
    }

    private static void addDrives(List<String> argv, List<MachineSpec.Drive> drives) {
        Set<String> ids = new HashSet<>();
        for (MachineSpec.Drive drive : drives) {
            if (!DRIVE_ID.matcher(drive.id()).matches()) {
                throw invalid("drive id '" + drive.id() + "' is not a QEMU id: it must start with a letter and hold "
                        + "at most 32 letters, digits, '-', '.' or '_'");
            }
            if (!ids.add(drive.id())) {
                throw invalid("drive id '" + drive.id() + "' is used twice");
            }
            add(argv, "-drive", "id=" + drive.id() + ",file=" + escape(absolute(drive.path()))
                    + ",format=" + drive.format().name().toLowerCase(Locale.ROOT)
                    + ",if=none,readonly=" + (drive.readOnly() ? "on" : "off"));
            String serial = "";
            if (drive.serial() != null) {
                if (!SERIAL.matcher(drive.serial()).matches()) {
                    throw invalid("drive serial '" + drive.serial() + "' is not 1-20 letters, digits, '-' or '_'");
                }
                serial = ",serial=" + drive.serial();
            }
            add(argv, "-device", "virtio-blk-device,drive=" + drive.id() + serial);
        }
    }

    private static void addNic(List<String> argv, MachineSpec.Nic nic) {
        if (!TAP_NAME.matcher(nic.tap()).matches()) {
            throw invalid("TAP name '" + nic.tap() + "' is not a usable interface name (1-15 letters, digits, '-', '.', '_')");
        }
        if (!MAC.matcher(nic.mac()).matches()) {
            throw invalid("MAC '" + nic.mac() + "' is not six lower-case hex pairs separated by colons");
        }
        add(argv, "-netdev", "tap,id=net0,ifname=" + nic.tap() + ",script=no,downscript=no");
        add(argv, "-device", "virtio-net-device,netdev=net0,mac=" + nic.mac());
    }

    private static void requireSocketPath(Path socket) {
        int bytes = absolute(socket).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOCKET_PATH_BYTES) {
            throw invalid("socket path " + socket + " is " + bytes + " bytes long, but a Unix socket path holds at most "
                    + MAX_SOCKET_PATH_BYTES + "; use a shorter state directory or VM name");
        }
    }

    private static String absolute(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    private static void add(List<String> argv, String option, String value) {
        argv.add(option);
        argv.add(value);
    }

    private static QemuException invalid(String message) {
        return new QemuException(ErrorKind.INVALID_ARGUMENT, message);
    }
}
