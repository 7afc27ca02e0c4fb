package dev.banger.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one spelling of banger's enum constants outside Java: lower case, {@code _} as {@code -}
 * ({@code NEEDS_WORK_SEED} is {@code needs-work-seed}). The text output prints these words, and
 * {@code --json}, the JSON-RPC wire and the store's columns carry them, so a script reads what a
 * person sees. Reading also accepts the constant's Java name, which the wire carried before this
 * spelling, so a newer CLI still understands an older daemon. Stateless and thread-safe.
 */
public final class WireNames {
    private WireNames() {}

    /** The wire word of a constant, e.g. {@code rolled-back}. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant whose wire word, or (leniently, for older peers) whose Java name, is
     * {@code word}.
     *
     * @throws IllegalArgumentException naming the words {@code type} allows, for any other text
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String word) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(word) || constant.name().equals(word)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + word + "'; expected one of "
                + Arrays.stream(type.getEnumConstants()).map(WireNames::of).collect(Collectors.joining(", ")));
    }
}
