package dev.banger.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Minimal ELF inspection, enough to tell a static binary from a dynamic one. Pure; thread-safe. */
final class Elf {
    private static final int PT_INTERP = 3;

    private Elf() {}

    /**
     * Whether a 64-bit little-endian ELF has no program interpreter (so it runs without a libc
     * in the initramfs). {@code head} must cover the program header table.
     */
    static boolean isStatic64(byte[] head) {
        if (!BzImage.isElf(head) || head.length < 64 || head[4] != 2 || head[5] != 1) {
            return false;
        }
        ByteBuffer le = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = le.getLong(0x20);
        int phentsize = Short.toUnsignedInt(le.getShort(0x36));
        int phnum = Short.toUnsignedInt(le.getShort(0x38));
        if (phoff + (long) phentsize * phnum > head.length) {
            return false;
        }
        for (int i = 0; i < phnum; i++) {
            if (le.getInt((int) (phoff + (long) i * phentsize)) == PT_INTERP) {
                return false;
            }
        }
        return true;
    }
}
