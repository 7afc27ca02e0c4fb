package dev.banger.config;

import java.util.Locale;

/** Which VMM the daemon uses ({@code vmm} key): {@code auto} prefers Firecracker when KVM works. */
public enum VmmChoice {
    AUTO,
    FIRECRACKER,
    QEMU;

    /** The spelling used in the config file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
