package dev.banger.doctor;

import dev.banger.config.BangerConfig;
import dev.banger.config.BangerPaths;
import dev.banger.config.VmmChoice;
import dev.banger.host.HostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the readiness checks look at: the host (through {@link HostCommands} and the file system
 * under {@code hostRoot}), banger's directories and its config. Immutable; safe to share between
 * concurrently running checks as long as the supplier is.
 *
 * @param host        runs probes ({@code firecracker --version}, the KVM test boot, ...)
 * @param paths       state and cache directories
 * @param config      the loaded configuration
 * @param guestKernel a guest kernel to prove KVM with, when the runtime bundle has one; asked at
 *                    most once per KVM check and allowed to be slow or to return empty
 * @param extraChecks checks appended after the standard ones by {@link Doctor#standard} (e.g. the
 *                    runtime-bundle check, which lives outside this package's dependencies)
 * @param hostRoot    where {@code /dev}, {@code /sys}, {@code /proc} and {@code /lib/modules} are
 *                    read from; {@code /} except in tests
 * @param kvm         the host's KVM verdict, shared by the {@code kvm} check, the checks that depend on
 *                    it and (in the daemon) the backend choice for new VMs; made from the other
 *                    components when null
 */
public record DoctorContext(HostCommands host, BangerPaths paths, BangerConfig config,
                            Supplier<Optional<Path>> guestKernel, List<Check> extraChecks, Path hostRoot, KvmVerdicts kvm) {
    public DoctorContext {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(guestKernel, "guestKernel");
        extraChecks = List.copyOf(extraChecks);
        Objects.requireNonNull(hostRoot, "hostRoot");
        if (kvm == null) {
            kvm = new KvmVerdicts(host, paths.cacheDir().resolve("doctor"), config.qemu().binary(), guestKernel, hostRoot);
        }
    }

    /** With a KVM verdict owner of its own. */
    public DoctorContext(HostCommands host, BangerPaths paths, BangerConfig config, Supplier<Optional<Path>> guestKernel,
                         List<Check> extraChecks, Path hostRoot) {
        this(host, paths, config, guestKernel, extraChecks, hostRoot, null);
    }

    /** The real host: paths such as {@code /dev/kvm} are read where they are. */
    public DoctorContext(HostCommands host, BangerPaths paths, BangerConfig config, Supplier<Optional<Path>> guestKernel) {
        this(host, paths, config, guestKernel, List.of(), Path.of("/"));
    }

    /** The real host, with {@code extraChecks} reported after the standard ones. */
    public DoctorContext(HostCommands host, BangerPaths paths, BangerConfig config, Supplier<Optional<Path>> guestKernel,
                         List<Check> extraChecks) {
        this(host, paths, config, guestKernel, extraChecks, Path.of("/"));
    }

    /** A pretend host whose {@code /dev}, {@code /sys} and {@code /proc} live under {@code hostRoot} (tests). */
    public DoctorContext(HostCommands host, BangerPaths paths, BangerConfig config, Supplier<Optional<Path>> guestKernel,
                         Path hostRoot) {
        this(host, paths, config, guestKernel, List.of(), hostRoot);
    }

    /** No guest kernel yet: the KVM check can then only say that KVM is unproven. */
    public static Supplier<Optional<Path>> noGuestKernel() {
        return Optional::empty;
    }

    /** {@code absolute} (e.g. {@code /dev/kvm}) as seen under {@link #hostRoot()}. */
    public Path hostPath(String absolute) {
        return hostRoot.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    /** Whether the config insists on Firecracker, which turns KVM and Firecracker gaps into failures. */
    public boolean firecrackerRequired() {
        return config.vmm() == VmmChoice.FIRECRACKER;
    }

    /** The running kernel's release ({@code uname -r}), or {@code "unknown"}. */
    public String hostKernelRelease() {
        try {
            return Files.readString(hostPath("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
