package dev.banger.runtime;

import dev.banger.host.Command;
import dev.banger.host.HostCommands;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/**
 * Turns a bzImage into the uncompressed ELF vmlinux Firecracker boots: {@link BzImage} locates
 * the payload, the trailing 4-byte size is cut off (decompressors take it for a bad next block),
 * the rest is decompressed ({@code lz4}/{@code zstd} through the host layer, gzip in-process) and
 * the result must start with the ELF magic and have the size the kernel build appended.
 * Stateless; thread-safe when callers use distinct work dirs.
 */
public final class VmlinuxExtractor {
    private final HostCommands host;

    public VmlinuxExtractor(HostCommands host) {
        this.host = host;
    }

    public void extract(Path bzImage, Path vmlinux, Path workDir) {
        try (FileChannel in = FileChannel.open(bzImage, StandardOpenOption.READ)) {
            long size = in.size();
            BzImage.Payload payload = BzImage.payload(read(in, 0, BzImage.HEADER_BYTES), size);
            byte[] head = read(in, payload.offset(), 8);
            long expectedSize = BzImage.appendedSize(read(in, payload.offset() + payload.length() - 4, 4));
            BzImage.Compression compression = BzImage.compression(head);
            Path compressed = Files.createTempFile(workDir, "payload", ".bin");
            try {
                try (FileChannel out = FileChannel.open(compressed, StandardOpenOption.WRITE)) {
                    long done = 0;
                    long length = payload.length() - 4;
                    while (done < length) {
                        done += in.transferTo(payload.offset() + done, length - done, out);
                    }
                }
                Files.deleteIfExists(vmlinux);
                switch (compression) {
                    case LZ4_LEGACY -> tool("lz4", "lz4", Command.of("lz4", "-d", "-q", "-f", compressed.toString(), vmlinux.toString()));
                    case ZSTD -> tool("zstd", "zstd", Command.of("zstd", "-d", "-q", "-f", compressed.toString(), "-o", vmlinux.toString()));
                    case GZIP -> gunzip(compressed, vmlinux);
                    default -> throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, bzImage
                            + " has a " + compression + " payload, which banger cannot extract (it handles lz4, zstd and gzip);"
                            + " give kernel-vmlinux as a file:// source instead");
                }
            } finally {
                Files.deleteIfExists(compressed);
            }
            byte[] elf;
            try (InputStream check = Files.newInputStream(vmlinux)) {
                elf = check.readNBytes(4);
            }
            if (!BzImage.isElf(elf)) {
                throw new RuntimeBundleException(ErrorKind.INTERNAL, "extracting vmlinux from " + bzImage
                        + " did not give an ELF file (" + compression + " payload)");
            }
            long actual = Files.size(vmlinux);
            if (actual != expectedSize) {
                throw new RuntimeBundleException(ErrorKind.INTERNAL, "vmlinux extracted from " + bzImage + " is "
                        + actual + " bytes but the bzImage says " + expectedSize);
            }
        } catch (IllegalArgumentException e) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, bzImage + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot extract vmlinux from " + bzImage + ": " + e.getMessage(), e);
        }
    }

    private void tool(String program, String aptPackage, Command command) {
        if (!host.available(program)) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "extracting vmlinux needs `" + program
                    + "`; install it (apt-get install " + aptPackage + ") and rerun");
        }
        host.run(command.withTimeout(Duration.ofMinutes(2)));
    }

    private static void gunzip(Path compressed, Path out) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(compressed));
             OutputStream sink = Files.newOutputStream(out)) {
            in.transferTo(sink);
        }
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IllegalArgumentException("file ends before offset " + (position + length));
            }
        }
        return buffer.array();
    }

}
