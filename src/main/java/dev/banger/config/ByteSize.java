package dev.banger.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A positive amount of bytes written the way people write disk and memory sizes: {@code 512M},
 * {@code 8G}, {@code 1.5T}, {@code 4096B}. Units are binary (K = 1024); {@code KiB}/{@code KB}
 * spellings are accepted and mean the same. Used for config values and for CLI options such as
 * {@code --disk}. Immutable.
 *
 * @param bytes always in {@code 1..MAX}
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
    public static final long KIB = 1024L;
    public static final long MIB = KIB * 1024;
    public static final long GIB = MIB * 1024;
    public static final long TIB = GIB * 1024;
    /** Anything larger is a typo (an extra zero, a wrong unit), not a VM size. */
    public static final ByteSize MAX = new ByteSize(64 * TIB);

    private static final Pattern SYNTAX =
            Pattern.compile("([+-]?)(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(?:([KMGTPE])(?:I?B)?|(B))?");
    private static final String EXAMPLES = "write a number and a unit (B, K, M, G or T), e.g. 512M, 8G, 1T";

    public ByteSize {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a size must be positive, got " + bytes + " bytes");
        }
        if (bytes > 64 * TIB) {
            throw new IllegalArgumentException("a size must be at most 64T, got " + bytes + " bytes");
        }
    }

    public static ByteSize ofMebibytes(long mebibytes) {
        return new ByteSize(Math.multiplyExact(mebibytes, MIB));
    }

    public static ByteSize ofGibibytes(long gibibytes) {
        return new ByteSize(Math.multiplyExact(gibibytes, GIB));
    }

    /**
     * Parses a size such as {@code 512M}.
     *
     * @throws ConfigException whose message quotes the text and says what is wrong
     */
    public static ByteSize parse(String text) {
        String quoted = "\"" + text + "\"";
        Matcher m = SYNTAX.matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(quoted + " is not a size: " + EXAMPLES);
        }
        if (m.group(3) == null && m.group(4) == null) {
            throw new ConfigException(quoted + " has no unit: " + EXAMPLES);
        }
        if (m.group(1).equals("-")) {
            throw new ConfigException(quoted + " is negative: a size must be greater than zero");
        }
        String unit = m.group(3) == null ? "B" : m.group(3);
        long multiplier = switch (unit) {
            case "B" -> 1;
            case "K" -> KIB;
            case "M" -> MIB;
            case "G" -> GIB;
            case "T" -> TIB;
            default -> -1; // P and E: recognised only to say they are too large
        };
        BigDecimal amount = new BigDecimal(m.group(2));
        if (amount.signum() == 0) {
            throw new ConfigException(quoted + " is zero: a size must be greater than zero");
        }
        if (multiplier < 0 || amount.multiply(BigDecimal.valueOf(multiplier)).compareTo(BigDecimal.valueOf(MAX.bytes)) > 0) {
            throw new ConfigException(quoted + " is absurdly large: the maximum is " + MAX);
        }
        long bytes = amount.multiply(BigDecimal.valueOf(multiplier)).setScale(0, RoundingMode.DOWN).longValueExact();
        if (bytes == 0) {
            throw new ConfigException(quoted + " is less than one byte: a size must be greater than zero");
        }
        return new ByteSize(bytes);
    }

    /**
     * Parses a size given for {@code what} (an option or key name), e.g. {@code --disk}.
     *
     * @throws ConfigException {@code "<what>: <reason>"}
     */
    public static ByteSize parse(String what, String text) {
        try {
            return parse(text);
        } catch (ConfigException e) {
            throw new ConfigException(what + ": " + e.getMessage());
        }
    }

    /** Whole mebibytes, rounded down (Firecracker and QEMU take memory in MiB). */
    public long mebibytes() {
        return bytes / MIB;
    }

    public boolean isWholeMebibytes() {
        return bytes % MIB == 0;
    }

    @Override
    public int compareTo(ByteSize other) {
        return Long.compare(bytes, other.bytes);
    }

    /** The largest unit that states the size exactly: {@code 8G}, {@code 1536M}, {@code 4097B}. */
    @Override
    public String toString() {
        long[] units = {TIB, GIB, MIB, KIB};
        String[] names = {"T", "G", "M", "K"};
        for (int i = 0; i < units.length; i++) {
            if (bytes % units[i] == 0) {
                return bytes / units[i] + names[i];
            }
        }
        return bytes + "B";
    }
}
