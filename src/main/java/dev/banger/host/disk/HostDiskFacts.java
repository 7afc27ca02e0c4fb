package dev.banger.host.disk;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.host.HostException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the host and the VMM backend allow for disk clones, the input of
 * {@link CloneStrategyChooser}. Immutable value; {@link #probe} is safe for concurrent use.
 *
 * @param deviceMapper  {@code dmsetup} and {@code /dev/mapper/control} are both present
 * @param reflink       {@code cp --reflink=always} works inside the state directory
 * @param qcow2Backend  the VMM backend opens qcow2 files (QEMU yes, Firecracker no)
 */
public record HostDiskFacts(boolean deviceMapper, boolean reflink, boolean qcow2Backend) {
    static final Path MAPPER_CONTROL = Path.of("/dev/mapper/control");
    private static final byte[] SAMPLE = new byte[64 * 1024];

    /** The same host facts for another backend. */
    public HostDiskFacts withQcow2Backend(boolean takesQcow2) {
        return new HostDiskFacts(deviceMapper, reflink, takesQcow2);
    }

    /**
     * Finds out, for real, whether device-mapper and reflink copies work here. The result says
     * {@code qcow2Backend = false} (the safe answer for Firecracker); callers running QEMU add
     * {@link #withQcow2Backend(boolean)}. The same probes as the doctor's device-mapper and
     * reflink checks, which live in a package the host layer must not depend on.
     *
     * @param stateDir an existing directory where VM disks will be made
     */
    public static HostDiskFacts probe(HostCommands host, Path stateDir) {
        return probe(host, stateDir, MAPPER_CONTROL);
    }

    static HostDiskFacts probe(HostCommands host, Path stateDir, Path mapperControl) {
        boolean dm = Files.exists(mapperControl) && host.available("dmsetup");
        return new HostDiskFacts(dm, reflinkWorks(host, stateDir), false);
    }

    private static boolean reflinkWorks(HostCommands host, Path dir) {
        Path source = null;
        Path copy = null;
        try {
            source = Files.createTempFile(dir, ".banger-reflink-", ".src");
            copy = source.resolveSibling(source.getFileName() + ".copy");
            Files.write(source, SAMPLE);
            CommandResult result = host.exec(Command.of("cp", "--reflink=always", source.toString(), copy.toString())
                    .withTimeout(Duration.ofSeconds(10)));
            return result.succeeded();
        } catch (IOException | HostException e) {
            // A state dir we cannot write to cannot hold reflinked disks either; the doctor explains why.
            return false;
        } finally {
            deleteQuietly(copy);
            deleteQuietly(source);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover 64 KiB dot-file is harmless; the probe's answer matters more.
            }
        }
    }
}
