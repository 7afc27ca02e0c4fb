package dev.banger.doctor;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostException;
import dev.banger.model.CheckResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether the state directory's file system makes reflink (copy-on-write) copies, tried for real
 * with {@code cp --reflink=always} on a small temp file inside it, which is removed afterwards.
 * No reflink is a WARN: other clone strategies take over. Safe for concurrent use.
 */
final class ReflinkCheck extends ContextCheck {
    static final String NAME = "reflink";
    private static final byte[] SAMPLE = new byte[64 * 1024];


    ReflinkCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }


    @Override
    public Optional<String> needsRoot() {
        return Optional.of("it copies a test file inside the state directory " + ctx.paths().stateDir());
    }

    @Override
    public CheckResult run() {
        Path dir = ctx.paths().stateDir();
        Path source = null;
        Path copy = null;
        try {
            StateDirectory.ensure(dir);
            String fs = Files.getFileStore(dir).type();
            source = Files.createTempFile(dir, ".doctor-reflink-", ".src");
            copy = source.resolveSibling(source.getFileName() + ".copy");
            Files.write(source, SAMPLE);
            CommandResult result = ctx.host().exec(Command.of("cp", "--reflink=always", source.toString(), copy.toString())
                    .withTimeout(Duration.ofSeconds(10)));
            if (result.succeeded()) {
                return CheckResult.ok(NAME, "the " + fs + " file system of " + dir + " makes reflink copies: disk clones are instant");
            }
            return CheckResult.warn(NAME, "the " + fs + " file system of " + dir + " cannot make reflink copies ("
                            + reason(result) + "), so disks are cloned by device-mapper snapshots, "
                            + "qcow2 overlays or sparse copies",
                    "for instant disk clones, keep the state directory on XFS (mkfs.xfs -m reflink=1) or Btrfs");
        } catch (IOException e) {
            return CheckResult.warn(NAME, "cannot test reflink in " + dir + ": " + StateDirCheck.describe(e),
                    "fix the state directory first (see the state-dir check)");
        } catch (HostException e) {
            return CheckResult.warn(NAME, "cannot test reflink in " + dir + ": " + e.getMessage(), "check that cp runs");
        } finally {
            deleteQuietly(copy);
            deleteQuietly(source);
        }
    }

    /** cp's complaint without the temp file names: "Operation not supported". */
    private static String reason(CommandResult result) {
        String line = KvmCheck.firstLine(result);
        int colon = line.lastIndexOf(": ");
        return colon < 0 ? line : line.substring(colon + 2);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover 64 KiB dot-file is harmless; the check result matters more.
            }
        }
    }
}
