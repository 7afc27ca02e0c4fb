package dev.banger.config;

import java.util.Objects;

/**
 * The whole validated configuration of one banger installation, one record per TOML table.
 * Produced by {@link ConfigLoader}; immutable and safe to share between threads.
 */
public record BangerConfig(
        VmmChoice vmm,
        LogLevel logLevel,
        DaemonConfig daemon,
        NetworkConfig network,
        VmDefaults vm,
        AgentConfig agent,
        ImageConfig image,
        FirecrackerConfig firecracker,
        QemuConfig qemu,
        RuntimeConfig runtime) {

    public BangerConfig {
        Objects.requireNonNull(vmm, "vmm");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(daemon, "daemon");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(firecracker, "firecracker");
        Objects.requireNonNull(qemu, "qemu");
        Objects.requireNonNull(runtime, "runtime");
    }

    /** What banger uses when there is no config file. */
    public static BangerConfig defaults() {
        return new BangerConfig(VmmChoice.AUTO, LogLevel.INFO, DaemonConfig.DEFAULTS, NetworkConfig.DEFAULTS,
                VmDefaults.DEFAULTS, AgentConfig.DEFAULTS, ImageConfig.DEFAULTS, FirecrackerConfig.DEFAULTS,
                QemuConfig.DEFAULTS, RuntimeConfig.DEFAULTS);
    }

    public BangerConfig withVmm(VmmChoice newVmm) {
        return new BangerConfig(newVmm, logLevel, daemon, network, vm, agent, image, firecracker, qemu, runtime);
    }
}
