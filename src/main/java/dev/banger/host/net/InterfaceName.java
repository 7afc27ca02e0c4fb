package dev.banger.host.net;

import dev.banger.model.ErrorKind;
import java.util.regex.Pattern;

/**
 * Validates Linux interface names before they reach a command: 1..15 characters (IFNAMSIZ minus
 * the terminating NUL) of letters, digits, {@code _}, {@code .} and {@code -}, not {@code .} or
 * {@code ..}, and not starting with {@code -} so no name can be read as an option. Stateless.
 */
public final class InterfaceName {
    /** Linux's IFNAMSIZ (16) minus the terminating NUL. */
    public static final int MAX_LENGTH = 15;

    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,14}");

    private InterfaceName() {}

    /**
     * Returns {@code name} when it is a valid interface name.
     *
     * @param role what the name is for ("TAP", "bridge"), used in the message
     * @throws NetworkException with kind INVALID_ARGUMENT saying what is wrong
     */
    public static String require(String role, String name) {
        if (name == null || name.isEmpty()) {
            throw new NetworkException(ErrorKind.INVALID_ARGUMENT, role + " name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new NetworkException(ErrorKind.INVALID_ARGUMENT, role + " name \"" + name + "\" is " + name.length()
                    + " characters long: Linux interface names are at most " + MAX_LENGTH);
        }
        if (!SYNTAX.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new NetworkException(ErrorKind.INVALID_ARGUMENT, role + " name \"" + name
                    + "\" is not a valid interface name: use letters, digits, '_', '.' or '-' (not first)");
        }
        return name;
    }

    /** Whether {@code name} passes {@link #require}. */
    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && SYNTAX.matcher(name).matches()
                && !name.equals(".") && !name.equals("..");
    }
}
