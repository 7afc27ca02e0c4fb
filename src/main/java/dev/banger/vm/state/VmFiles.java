package dev.banger.vm.state;

import dev.banger.host.disk.DiskFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** VM and warm-machine directories: made private to root, removed without failing a teardown. Stateless. */
public final class VmFiles {
    private static final Logger LOG = LoggerFactory.getLogger(VmFiles.class);

    private VmFiles() {}

    /** A VM's (or a machine's) root disk file laid out as {@code format}: only qcow2 files are named {@code *.qcow2}. */
    public static String rootDiskName(DiskFormat format) {
        return format == DiskFormat.QCOW2 ? "root.qcow2" : "root.img";
    }

    /** A VM's (or a machine's) work disk file laid out as {@code format}. */
    public static String workDiskName(DiskFormat format) {
        return format == DiskFormat.QCOW2 ? "work.qcow2" : "work.ext4";
    }

    public static void makeDir(Path dir) {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw VmException.failed("cannot create the VM directory " + dir + ": " + e.getMessage());
        }
    }

    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", file, e.toString());
        }
    }

    public static void deleteTree(Path dir) {
        try {
            dev.banger.host.FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }
}
