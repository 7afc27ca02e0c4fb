package dev.banger.image;

import dev.banger.runtime.BzImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks on files offered as image artifacts, before anything is copied or recorded: the path is
 * absolute, exists, is a regular readable file (not a link), and has the right kind of content.
 * Stateless and thread-safe.
 */
final class ImageFiles {
    private static final int BZIMAGE_MAGIC_OFFSET = 0x202;

    private ImageFiles() {}

    /** A readable regular file at an absolute path, named {@code what} in errors. */
    static Path requireFile(String what, Path path) {
        if (path == null) {
            throw ImageException.invalid("the " + what + " path is missing");
        }
        if (!path.isAbsolute()) {
            throw ImageException.invalid("the " + what + " path '" + path + "' must be absolute");
        }
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || !Files.isReadable(path)) {
            throw ImageException.invalid("the " + what + " " + path + " is not a readable regular file");
        }
        return path;
    }

    /** An uncompressed ELF vmlinux or a bzImage (setup header magic {@code HdrS}). */
    static void requireKernel(Path path) {
        byte[] head = new byte[BZIMAGE_MAGIC_OFFSET + 4];
        int read;
        try (InputStream in = Files.newInputStream(path)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw ImageException.invalid("cannot read the kernel " + path + ": " + e.getMessage());
        }
        boolean bzImage = read == head.length && head[BZIMAGE_MAGIC_OFFSET] == 'H' && head[BZIMAGE_MAGIC_OFFSET + 1] == 'd'
                && head[BZIMAGE_MAGIC_OFFSET + 2] == 'r' && head[BZIMAGE_MAGIC_OFFSET + 3] == 'S';
        if (!bzImage && !(read >= 4 && BzImage.isElf(head))) {
            throw ImageException.invalid("the kernel " + path + " is neither an ELF vmlinux nor a bzImage");
        }
    }

    static void requireExt4(String what, Path path) {
        if (!Ext4Images.isExt4(path)) {
            throw ImageException.invalid("the " + what + " " + path + " is not an ext2/3/4 filesystem image");
        }
    }
}
