package dev.banger.vmm;

import java.util.Optional;

/**
 * The backends banger has. Each one's {@link #wireName()} is what the config's {@code vmm} key,
 * the VM row, {@code vm show} and stored {@link VmmInstance}s spell it as, so those stay the same
 * strings they always were; code that needs to know what a backend can do asks its {@link Vmm}.
 */
public enum VmmKind {
    QEMU("qemu"),
    FIRECRACKER("firecracker");

    private final String wireName;

    VmmKind(String wireName) {
        this.wireName = wireName;
    }

    /** The stable lower-case name: {@code qemu} or {@code firecracker}. */
    public String wireName() {
        return wireName;
    }

    /** The kind spelt {@code name}, or empty for a name no backend has (a test's fake). */
    public static Optional<VmmKind> ofWireName(String name) {
        for (VmmKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
