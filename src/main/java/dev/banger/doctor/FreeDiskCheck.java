package dev.banger.doctor;

import dev.banger.model.CheckResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Free space on the state directory's file system (or its nearest existing ancestor's): WARN under
 * 10 GiB, FAIL under 2 GiB, since images and work disks are gigabytes each. Safe for concurrent use.
 */
final class FreeDiskCheck extends ContextCheck {
    static final String NAME = "free-disk";
    static final long GIB = 1024L * 1024 * 1024;
    static final long WARN_BELOW = 10 * GIB;
    static final long FAIL_BELOW = 2 * GIB;


    FreeDiskCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }


    @Override
    public CheckResult run() {
        Path dir = ctx.paths().stateDir();
        Path measured = StateDirectory.nearestExisting(dir);
        try {
            return judge(dir, Files.getFileStore(measured).getUsableSpace());
        } catch (IOException e) {
            return CheckResult.warn(NAME, "cannot measure free space at " + measured + ": " + StateDirCheck.describe(e),
                    "fix the state directory first (see the state-dir check)");
        }
    }

    /** The verdict for {@code usableBytes} free where {@code dir} lives. */
    static CheckResult judge(Path dir, long usableBytes) {
        String free = formatGib(usableBytes) + " free for " + dir;
        String remedy = "free space on that file system, or point BANGER_STATE_DIR at a larger one";
        if (usableBytes < FAIL_BELOW) {
            return CheckResult.fail(NAME, free + ": too little for an image or a work disk (need at least 2 GiB)", remedy);
        }
        if (usableBytes < WARN_BELOW) {
            return CheckResult.warn(NAME, free + ": enough for a VM or two, not for building images (10 GiB recommended)", remedy);
        }
        return CheckResult.ok(NAME, free);
    }

    static String formatGib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
    }
}
