package dev.banger.config;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * The config file, or a value meant for it (a size, a subnet), is unusable. The message names the
 * file and key where there is one, and the reason, so the user can go straight to the line to fix.
 * Always {@link ErrorKind#INVALID_ARGUMENT}. Immutable.
 */
public final class ConfigException extends BangerException {
    private final String reason;

    public ConfigException(String message) {
        super(ErrorKind.INVALID_ARGUMENT, message);
        this.reason = message;
    }

    private ConfigException(String message, String reason, Throwable cause) {
        super(ErrorKind.INVALID_ARGUMENT, message, cause);
        this.reason = reason;
    }

    /** A bad value of {@code key} in {@code source}: {@code "<source>: <key>: <reason>"}. */
    static ConfigException invalidValue(String source, String key, String reason) {
        return new ConfigException(source + ": " + key + ": " + reason, reason, null);
    }

    static ConfigException unreadable(String message, Throwable cause) {
        return new ConfigException(message, message, cause);
    }

    /** The reason alone, without the file and key prefix (for re-wrapping under another key). */
    public String reason() {
        return reason;
    }
}
