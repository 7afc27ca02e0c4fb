package dev.banger.runtime;

import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.HostCommands;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Turns a bzImage into the uncompressed ELF vmlinux Firecracker (and QEMU's microvm) boot: reads
 * the payload location from the setup header and decompresses it with lz4, gzip or zstd. Used by
 * the runtime bundle's kernel staging and by image builders for the image's own kernel.
 * Thread-safe.
 */
public final class VmlinuxExtractor {
    private final HostCommands host;

    public VmlinuxExtractor(HostCommands host) {
        this.host = host;
    }

    /** Writes {@code vmlinux} from {@code bzImage}, using {@code work} for a temporary file. */
    public void extract(Path bzImage, Path vmlinux, Path work) {
        try (RandomAccessFile file = new RandomAccessFile(bzImage.toFile(), "r")) {
            byte[] header = new byte[BzImage.HEADER_BYTES];
            file.readFully(header);
            BzImage.Payload payload = BzImage.payload(header, file.length());
            byte[] bytes = new byte[Math.toIntExact(payload.length())];
            file.seek(payload.offset());
            file.readFully(bytes);
            BzImage.Compression compression = BzImage.compression(bytes);
            Path compressed = work.resolve("payload");
            switch (compression) {
                case LZ4_LEGACY -> {
                    // The build appends the 4-byte uncompressed size, which lz4 would read as a broken block.
                    Files.write(compressed, java.util.Arrays.copyOf(bytes, bytes.length - 4));
                    run("decompress the kernel payload (lz4)", Command.of("lz4", "-d", "-f", "-q",
                            compressed.toString(), vmlinux.toString()));
                }
                case GZIP -> {
                    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes));
                         OutputStream out = Files.newOutputStream(vmlinux)) {
                        in.transferTo(out);
                    }
                }
                case ZSTD -> {
                    Files.write(compressed, bytes);
                    run("decompress the kernel payload (zstd)", Command.of("zstd", "-d", "-f", "-q",
                            compressed.toString(), "-o", vmlinux.toString()));
                }
                default -> throw unsupported(compression);
            }
            Files.deleteIfExists(compressed);
            byte[] start = new byte[4];
            try (InputStream in = Files.newInputStream(vmlinux)) {
                in.readNBytes(start, 0, 4);
            }
            if (!BzImage.isElf(start)) {
                throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "the payload of " + bzImage
                        + " decompressed to something that is not an ELF vmlinux");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "cannot extract vmlinux from " + bzImage
                    + ": " + e.getMessage(), e);
        }
    }

    private static RuntimeBundleException unsupported(BzImage.Compression compression) {
        return new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "the kernel payload is " + compression
                + "-compressed, which banger cannot extract yet (lz4, gzip and zstd are supported)");
    }

    private void run(String purpose, Command command) {
        try {
            host.run(command);
        } catch (CommandFailedException e) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "cannot " + purpose + ": " + e.getMessage(), e);
        }
    }
}
