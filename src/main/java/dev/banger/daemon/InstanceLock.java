package dev.banger.daemon;

import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Guarantees one daemon per state dir with an advisory lock on {@code bangerd.lock}, which also
 * holds the owner's pid so a refused second daemon can say who holds it. The kernel drops the
 * lock when the process dies, so a crashed daemon never blocks its successor.
 */
final class InstanceLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static InstanceLock acquire(Path lockFile) {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DaemonException(ErrorKind.PRECONDITION_FAILED, "cannot open the lock file " + lockFile + ": " + e.getMessage(), e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = readPid(lockFile);
                channel.close();
                throw new DaemonException(ErrorKind.CONFLICT, "another bangerd (pid " + holder + ") already runs on state dir "
                        + lockFile.getParent() + "; stop it first with: banger daemon stop");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new InstanceLock(channel, lock);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // The original failure is the one worth reporting.
            }
            throw new DaemonException(ErrorKind.INTERNAL, "cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    private static String readPid(Path lockFile) {
        try {
            String text = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? "unknown" : text;
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Process exit releases the lock anyway.
        }
    }
}
