package dev.banger.doctor;

import dev.banger.config.BangerPaths;
import dev.banger.model.CheckResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the state directory exists and is writable, creating it with mode 0700 if missing, and
 * that other users cannot write into it. Safe for concurrent use.
 */
final class StateDirCheck extends ContextCheck {
    static final String NAME = "state-dir";

    StateDirCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }

    @Override
    public Optional<String> needsRoot() {
        return Optional.of("it creates and writes the state directory " + ctx.paths().stateDir() + ", which belongs to root");
    }

    @Override
    public CheckResult run() {
        Path dir = ctx.paths().stateDir();
        String elsewhere = "or point " + BangerPaths.STATE_DIR_ENV + " at a directory bangerd can write";
        boolean created;
        try {
            created = StateDirectory.ensure(dir);
        } catch (IOException e) {
            return CheckResult.fail(NAME, "cannot create the state directory " + dir + ": " + describe(e),
                    "run bangerd as root, " + elsewhere);
        }
        try {
            Path probe = Files.createTempFile(dir, ".doctor-", ".probe");
            Files.delete(probe);
        } catch (IOException e) {
            return CheckResult.fail(NAME, "cannot write into the state directory " + dir + ": " + describe(e),
                    "run bangerd as root, fix the directory's ownership, " + elsewhere);
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                return CheckResult.warn(NAME, dir + " is writable by every user, who could tamper with VM disks",
                        "chmod 700 " + dir);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Without POSIX permissions there is nothing more to check.
        }
        return CheckResult.ok(NAME, created ? "created " + dir + " (mode 0700)" : dir + " is writable");
    }

    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }
}
