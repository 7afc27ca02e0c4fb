package dev.banger.vmm.firecracker;

import dev.banger.model.ErrorKind;
import dev.banger.vmm.SnapshotFiles;
import dev.banger.vmm.VmmException;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * A running jailed Firecracker, found from its stored {@link VmmInstance}, and what is done to it
 * beyond start and stop: saving it ({@link #save}) and growing a drive ({@link #growDrive}). Only a
 * jailed machine: its files are at fixed paths in its chroot ({@code /drives/<id>},
 * {@code /snapshot/*}), known from the instance alone and the same in every VM, which a restore
 * relies on. Immutable; safe to use from any thread, one operation per machine at a time.
 *
 * @param instance the stored instance
 * @param process  its live Firecracker
 * @param jail     its jail
 */
record JailedMachine(VmmInstance instance, ProcessHandle process, JailLayout jail) {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(JailedMachine.class);
    /** The file names of a saved machine in the directory the caller gives. */
    static final String SNAPSHOT_STATE = "firecracker.vmstate";
    static final String SNAPSHOT_MEMORY = "firecracker.mem";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /**
     * The live jailed machine behind {@code instance}.
     *
     * @throws VmmException when it is gone ({@code consequence} says what cannot be done), or was
     *                      launched without the jail
     */
    static JailedMachine of(VmmInstance instance, String consequence) {
        FirecrackerProcesses.Running running = FirecrackerProcesses.require(instance, consequence);
        if (!(running.paths() instanceof JailLayout jail)) {
            throw new VmmException(ErrorKind.PRECONDITION_FAILED, "firecracker pid " + instance.pid() + " for "
                    + instance.vmDir() + " was launched without the jail, so " + consequence
                    + "; set [firecracker] jail = true for machines created from now on");
        }
        return new JailedMachine(instance, running.process(), jail);
    }

    /**
     * Pauses the vCPUs, has Firecracker write a full snapshot into its jail
     * ({@code /snapshot/state}, {@code /snapshot/memory}: it sees nothing outside), moves the two
     * files into {@code dir} (0600 before they leave the jail) and ends the process as a stop ends
     * a machine that cannot take Ctrl-Alt-Del. Any failure removes what was written and kills it.
     */
    SnapshotFiles save(FirecrackerApiClient api, Path dir) {
        SnapshotFiles saved = new SnapshotFiles(dir.resolve(SNAPSHOT_STATE), Optional.of(dir.resolve(SNAPSHOT_MEMORY)));
        List<Path> written = List.of(jail.snapshotState(), jail.snapshotMemory(), saved.state(), saved.memory().orElseThrow());
        try {
            if (PendingStart.of(jail).isPresent()) {
                throw new VmmException("its guest has not run yet (" + jail.preBootMarker() + " exists)");
            }
            Files.createDirectories(jail.snapshotState().getParent());
            for (Path file : written) {
                Files.deleteIfExists(file); // Firecracker would write into a file left by a failed save
            }
            api.send(jail.apiSocket(), FirecrackerPlan.pause());
            api.send(jail.apiSocket(), FirecrackerPlan.createSnapshot(jail.seenByFirecracker(jail.snapshotState()),
                    jail.seenByFirecracker(jail.snapshotMemory())));
            for (int i = 0; i < 2; i++) {
                // Guest memory may hold anything: private before it leaves the jail.
                Files.setPosixFilePermissions(written.get(i), OWNER_ONLY);
                Files.move(written.get(i), written.get(i + 2));
            }
            FirecrackerProcesses.terminate(instance, process, jail);
        } catch (VmmException | IOException e) {
            String ended = FirecrackerProcesses.kill(process) ? "" : "\n(the process still runs after SIGKILL)";
            written.forEach(JailedMachine::deleteQuietly);
            throw new VmmException("firecracker pid " + instance.pid() + " for " + instance.vmDir() + ": could not save"
                    + " a snapshot into " + dir + ": " + e.getMessage() + ended + LogTails.of(jail.logs()), e);
        }
        LOG.info("firecracker pid {} for {} saved into {}", instance.pid(), instance.vmDir(), dir);
        return saved;
    }

    /**
     * Grows the drive's file in the jail (the VM's own disk, hard-linked there) to {@code bytes},
     * then, once the guest has run or was loaded from a snapshot, names the file again with
     * {@code PATCH /drives}: Firecracker re-reads its size and tells the guest. A guest that has not
     * booted reads the size at boot. A drive never shrinks; a block device is not grown here.
     */
    void growDrive(FirecrackerApiClient api, String driveId, long bytes) {
        FirecrackerPlan.requireDriveId(driveId);
        Path file = jail.drive(driveId);
        String failed = "firecracker pid " + instance.pid() + ": drive '" + driveId + "' did not grow to " + bytes + " bytes: ";
        long size = regularFileSize(file);
        if (size < 0 || bytes < size) {
            throw new VmmException(ErrorKind.PRECONDITION_FAILED, failed + (size < 0 ? file + " is not a regular file"
                    : "it is " + size + " bytes, and a drive never shrinks"));
        }
        try {
            try (RandomAccessFile disk = new RandomAccessFile(file.toFile(), "rw")) {
                disk.setLength(bytes);
            }
            if (PendingStart.of(jail).filter(PendingStart.BOOT::equals).isEmpty()) {
                api.send(jail.apiSocket(), FirecrackerPlan.rereadDrive(driveId, jail.seenByFirecracker(file)));
            }
        } catch (IOException e) {
            throw new VmmException(failed + e, e);
        } catch (VmmException e) {
            throw new VmmException(failed + e.getMessage() + LogTails.of(jail.logs()), e);
        }
    }

    /** The size of a regular file (not a block device, not a link), or -1. */
    private static long regularFileSize(Path file) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not remove {} of a failed snapshot: {}", file, e.toString());
        }
    }
}
