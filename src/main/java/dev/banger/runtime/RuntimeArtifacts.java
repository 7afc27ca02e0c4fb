package dev.banger.runtime;

/**
 * The names of the artifacts banger's own code asks a {@link RuntimeBundle} for. The spec file
 * may add more; these are the ones with a fixed meaning.
 */
public final class RuntimeArtifacts {
    public static final String FIRECRACKER = "firecracker";
    public static final String JAILER = "jailer";
    /** Uncompressed ELF kernel (Firecracker, QEMU {@code -M microvm}). */
    public static final String KERNEL_VMLINUX = "kernel-vmlinux";
    /** Compressed bzImage of the same kernel (QEMU's default machine). */
    public static final String KERNEL_BZIMAGE = "kernel-bzimage";
    /** Initramfs that loads virtio/ext4 modules, mounts {@code root=} and switches to it. */
    public static final String INITRD = "initrd";
    /** Tarball of {@code lib/modules/<version>/…} for the same kernel, unpacked into guest roots. */
    public static final String MODULES = "modules";
    public static final String AGENT = "banger-agent";
    public static final String SSH_PRIVATE_KEY = "ssh-key";
    public static final String SSH_PUBLIC_KEY = "ssh-key-pub";

    private RuntimeArtifacts() {}
}
