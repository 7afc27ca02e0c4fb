package dev.banger.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a cpio archive in the "newc" format the kernel unpacks as an initramfs. Every entry gets
 * uid/gid 0 and mtime 0, so the same inputs always give the same bytes (a reproducible initrd
 * sum). Not thread-safe: one writer per archive.
 */
public final class CpioNewcWriter implements AutoCloseable {
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;

    private final OutputStream out;
    private long written;
    private int inode = 1;

    public CpioNewcWriter(OutputStream out) {
        this.out = out;
    }

    public void directory(String name, int permissions) throws IOException {
        entry(name, S_IFDIR | permissions, new byte[0], 0, 0);
    }

    public void file(String name, int permissions, byte[] content) throws IOException {
        entry(name, S_IFREG | permissions, content, 0, 0);
    }

    public void symlink(String name, String target) throws IOException {
        entry(name, S_IFLNK | 0777, target.getBytes(StandardCharsets.UTF_8), 0, 0);
    }

    public void characterDevice(String name, int permissions, int major, int minor) throws IOException {
        entry(name, S_IFCHR | permissions, new byte[0], major, minor);
    }

    /** Writes the trailer; the underlying stream is left open. */
    @Override
    public void close() throws IOException {
        entry("TRAILER!!!", 0, new byte[0], 0, 0);
        out.flush();
    }

    private void entry(String name, int mode, byte[] data, int rdevMajor, int rdevMinor) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean trailer = name.equals("TRAILER!!!");
        StringBuilder header = new StringBuilder("070701");
        for (long field : new long[] {trailer ? 0 : inode++, mode, 0, 0, (mode & S_IFDIR) == S_IFDIR ? 2 : 1, 0,
                data.length, 0, 0, rdevMajor, rdevMinor, nameBytes.length + 1L, 0}) {
            header.append(String.format("%08x", field));
        }
        write(header.toString().getBytes(StandardCharsets.US_ASCII));
        write(nameBytes);
        write(new byte[] {0});
        pad();
        write(data);
        pad();
    }

    private void pad() throws IOException {
        while (written % 4 != 0) {
            write(new byte[] {0});
        }
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        written += bytes.length;
    }
}
