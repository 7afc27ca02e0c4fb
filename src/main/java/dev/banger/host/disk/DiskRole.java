package dev.banger.host.disk;

/** What a cloned disk is for; it decides which clone strategies make sense. */
public enum DiskRole {
    /** The VM's root disk: a clone of the image's read-only {@code rootfs.ext4}, which many VMs share. */
    ROOT,
    /** The VM's {@code /root} disk: a clone of the image's {@code work-seed.ext4}, grown to the requested size. */
    WORK
}
