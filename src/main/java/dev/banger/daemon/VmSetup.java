package dev.banger.daemon;

import dev.banger.config.BangerConfig;
import dev.banger.config.BangerPaths;
import dev.banger.doctor.DoctorContext;
import dev.banger.doctor.FirecrackerCheck;
import dev.banger.host.HostCommands;
import dev.banger.host.disk.HostDiskFacts;
import dev.banger.image.ImageCatalog;
import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.runtime.RuntimeArtifacts;
import dev.banger.runtime.RuntimeBundle;
import dev.banger.store.Store;
import dev.banger.vm.VmHost;
import dev.banger.vm.VmInspector;
import dev.banger.vm.VmService;
import dev.banger.vm.boot.BootDeadlines;
import dev.banger.vm.snapshot.FileDigests;
import dev.banger.vmm.AccelerationSource;
import dev.banger.vmm.BackendChooser;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmException;
import dev.banger.vmm.VmmKind;
import dev.banger.vmm.firecracker.FirecrackerVmm;
import dev.banger.vmm.qemu.QemuVmm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the daemon's VM side: the VMM backends this host has (QEMU always; Firecracker when its
 * binary is there), the choice each new VM gets (config {@code vmm} through {@link BackendChooser},
 * asking doctor's KVM verdict owner at each create), the shared host services, and reconciles the store with the host
 * before the first request. Stateless.
 */
final class VmSetup {
    private static final Logger LOG = LoggerFactory.getLogger(VmSetup.class);

    /** What the daemon serves VM requests with. */
    record Vms(VmService service, VmInspector inspector, VmHost host) {}

    private VmSetup() {}

    static Vms start(BangerPaths paths, BangerConfig config, HostCommands host, Store store, ImageCatalog images,
            DoctorContext doctor) {
        // One owner of the KVM verdict for doctor and VMs alike, asked at each create, never read once here.
        AccelerationSource kvm = new KvmAcceleration(doctor.kvm());
        Optional<Path> firecracker = FirecrackerCheck.locate(doctor).map(Path::of);
        Map<String, Vmm> backends = new LinkedHashMap<>();
        backends.put(VmmKind.QEMU.wireName(), QemuVmm.forHost(host, config.qemu(), kvm));
        firecracker.ifPresent(binary -> backends.put(VmmKind.FIRECRACKER.wireName(), new FirecrackerVmm(
                FirecrackerVmm.Settings.of(config.firecracker(), binary, bundledJailer(config)), host)));
        BackendChooser newVms = BackendChooser.forHost(config.vmm(), firecracker.isPresent(), kvm);
        VmHost vmHost = new VmHost(host, config.network(), backends, newVms, HostDiskFacts.probe(host, paths.stateDir()),
                paths.stateDir().resolve("warm"), config.vm().warmMachines());
        VmService service = new VmService(store.vms(), store.images(), images, vmHost, paths.stateDir(), config.vm(),
                () -> config.image().defaultImage(), config.agent().port(), config.network().subnet(),
                BootDeadlines.BY_ACCELERATION, store.settings());
        service.shares().useKey(() -> privateKey(config));
        LOG.info("new VMs: {}", newVmsNow(config, kvm, newVms));
        if (config.vm().goldenSnapshots()) {
            service.snapshots().enable(agentVersion(config));
        }
        if (!store.vms().list().isEmpty()) {
            try {
                service.ensureHostStarted();
            } catch (BangerException e) {
                LOG.error("{}", e.getMessage());
            }
        }
        service.collectSnapshots();
        return new Vms(service, service.inspector(() -> privateKey(config)), vmHost);
    }

    /**
     * What the start-up log says about new VMs, without a test boot: the backend and acceleration
     * when the KVM verdict is known, else that the first create finds it out.
     */
    static String newVmsNow(BangerConfig config, AccelerationSource kvm, BackendChooser newVms) {
        if (kvm.known().isEmpty()) {
            return "vmm = \"" + config.vmm().configName() + "\"; whether KVM runs a guest here is not known yet: the first"
                    + " create (or `banger doctor`) finds out with a bounded test boot, and the verdict is kept";
        }
        try {
            return newVms.choose().describe();
        } catch (VmmException e) {
            return "none: " + e.getMessage();
        }
    }

    /** The runtime bundle's jailer, when jailing is on, there is a bundle and it has one. */
    private static Optional<Path> bundledJailer(BangerConfig config) {
        if (!config.firecracker().jail()) {
            return Optional.empty();
        }
        try {
            return config.runtime().bundle().map(RuntimeBundle::at).orElseGet(RuntimeBundle::locate)
                    .find(RuntimeArtifacts.JAILER);
        } catch (RuntimeException noBundle) {
            return Optional.empty();
        }
    }

    /**
     * The guest agent images get ({@code [agent] path}, else the runtime bundle's), by its sha256: a
     * snapshot holds a running agent, so a new one makes the old snapshots stale. Read once, when
     * first asked (a daemon without a bundle only builds images).
     */
    private static Supplier<String> agentVersion(BangerConfig config) {
        FileDigests digests = new FileDigests();
        return () -> {
            try {
                Path agent = config.agent().path().orElseGet(() -> config.runtime().bundle().map(RuntimeBundle::at)
                        .orElseGet(RuntimeBundle::locate).require(RuntimeArtifacts.AGENT));
                return digests.sha256(agent);
            } catch (RuntimeException noAgent) {
                return "unknown";
            }
        };
    }

    private static String privateKey(BangerConfig config) {
        RuntimeBundle bundle = config.runtime().bundle().map(RuntimeBundle::at).orElseGet(RuntimeBundle::locate);
        Path key = bundle.require(RuntimeArtifacts.SSH_PRIVATE_KEY);
        try {
            return Files.readString(key);
        } catch (IOException e) {
            throw new DaemonException(ErrorKind.PRECONDITION_FAILED, "cannot read the runtime bundle's SSH key " + key + ": "
                    + e.getMessage(), e);
        }
    }
}
