package dev.banger.vmm.firecracker;

import dev.banger.host.Command;
import dev.banger.host.FileTrees;
import dev.banger.host.HostCommands;
import dev.banger.host.HostException;
import dev.banger.model.ErrorKind;
import dev.banger.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Carries out a {@link JailPlan} and probes the facts it is planned from. Before building, the
 * whole {@code <vmDir>/jail} left by an earlier run is removed: the jailer refuses to start when
 * its device nodes ({@code /dev/kvm}, {@code /dev/net/tun}, {@code /dev/urandom},
 * {@code /dev/userfaultfd}) or its {@code firecracker.pid} already exist. Everything the jailer
 * creates stays inside the jail (its bind mount lives in its own mount namespace, and without
 * {@code --cgroup} it makes no cgroup), so deleting the VM directory removes it all. Device nodes
 * for block devices are made with {@code mknod} (Java cannot) through {@link HostCommands}.
 * Stateless and thread-safe.
 */
final class JailBuilder {
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFREG = 0100000;

    private JailBuilder() {
    }

    /** The facts {@link JailPlan} needs about {@code path}. */
    static JailPlan.Source probe(Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            return new JailPlan.Source(path, JailPlan.Kind.MISSING, 0, 0, 0);
        }
        try {
            Map<String, Object> unix = Files.readAttributes(real, "unix:mode,dev,rdev");
            int type = (Integer) unix.get("mode") & S_IFMT;
            long dev = (Long) unix.get("dev");
            long rdev = (Long) unix.get("rdev");
            JailPlan.Kind kind = type == S_IFREG ? JailPlan.Kind.REGULAR_FILE
                    : type == S_IFBLK ? JailPlan.Kind.BLOCK_DEVICE : JailPlan.Kind.OTHER;
            return new JailPlan.Source(real, kind, dev, major(rdev), minor(rdev));
        } catch (IOException e) {
            return new JailPlan.Source(real, JailPlan.Kind.MISSING, 0, 0, 0);
        }
    }

    /** The device id of the file system {@code dir} is on. */
    static long fileSystemOf(Path dir) {
        try {
            return (Long) Files.getAttribute(dir, "unix:dev");
        } catch (IOException e) {
            throw new VmmException(ErrorKind.PRECONDITION_FAILED, "cannot stat " + dir + ": " + e.getMessage());
        }
    }

    /** glibc's gnu_dev_major: the major number of a {@code dev_t}. */
    static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    /** glibc's gnu_dev_minor: the minor number of a {@code dev_t}. */
    static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }

    /** Removes the old jail, then creates every file of {@code plan}. */
    static void build(JailPlan plan, HostCommands host) {
        Path base = plan.layout().chrootBase();
        String vm = "VM " + plan.spec().name() + ": ";
        try {
            FileTrees.delete(base);
            Files.createDirectories(plan.layout().root());
            for (JailPlan.Step step : plan.steps()) {
                Files.createDirectories(step.target().getParent());
                switch (step) {
                    case JailPlan.Link link -> Files.createLink(link.target(), link.source());
                    case JailPlan.Copy copy -> Files.copy(copy.source(), copy.target(), StandardCopyOption.COPY_ATTRIBUTES);
                    case JailPlan.EmptyFile empty -> Files.write(empty.target(), new byte[0]);
                    case JailPlan.DeviceNode node -> host.run(Command.of("mknod", "-m", "0600",
                            node.target().toString(), "b", Integer.toString(node.major()), Integer.toString(node.minor())));
                }
            }
        } catch (IOException e) {
            throw new VmmException(vm + "could not prepare the jail " + base + ": " + e, e);
        } catch (HostException e) {
            throw new VmmException(vm + "could not prepare the jail " + base + ": " + e.getMessage(), e);
        }
    }
}
