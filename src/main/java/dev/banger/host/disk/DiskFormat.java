package dev.banger.host.disk;

import java.nio.file.Path;

/**
 * How a disk file is laid out. It lives beside the clone strategies that make each layout; the
 * backends read it from {@code MachineSpec.Drive}, and Firecracker only takes {@link #RAW}.
 */
public enum DiskFormat {
    RAW,
    QCOW2;

    /** The layout of a disk file banger made: its qcow2 files, and only those, are named {@code *.qcow2}. */
    public static DiskFormat ofFile(Path file) {
        return file.getFileName().toString().endsWith(".qcow2") ? QCOW2 : RAW;
    }
}
