package dev.banger.image;

import java.util.Objects;

/**
 * A file a customisation stage writes into a guest root filesystem. Immutable value.
 *
 * @param path    absolute path inside the guest, e.g. {@code /etc/ssh/sshd_config.d/50-banger.conf}
 * @param mode    permission bits, e.g. {@code 0644}
 * @param content the whole file, UTF-8
 */
public record GuestFile(String path, int mode, String content) {
    public GuestFile {
        GuestDirectory.checkPath(path);
        Objects.requireNonNull(content, "content");
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " of " + path + " is not a permission mode");
        }
    }
}
