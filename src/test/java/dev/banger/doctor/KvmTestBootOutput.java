package dev.banger.doctor;

/** What the KVM test boot prints, for tests that fake it: a guest kernel that ran, and kvm_pvm's refusal. */
public final class KvmTestBootOutput {
    /** The guest's kernel ran under KVM (it panics only for want of a root file system). */
    public static final String PANIC = "[    1.7] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n";
    /** QEMU could not start the guest under KVM, as on hosts with kvm_pvm. */
    public static final String MSR = "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x20000000c04\n";

    private KvmTestBootOutput() {}
}
