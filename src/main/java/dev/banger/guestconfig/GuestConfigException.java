package dev.banger.guestconfig;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * A guest-config value is unusable ({@link ErrorKind#INVALID_ARGUMENT}: the message quotes the
 * value and says what is allowed) or two contributions disagree ({@link ErrorKind#CONFLICT}: the
 * message names both values and who contributed them). Immutable.
 */
public final class GuestConfigException extends BangerException {
    GuestConfigException(ErrorKind kind, String message) {
        super(kind, message);
    }

    static GuestConfigException invalid(String message) {
        return new GuestConfigException(ErrorKind.INVALID_ARGUMENT, message);
    }

    static GuestConfigException conflict(String message) {
        return new GuestConfigException(ErrorKind.CONFLICT, message);
    }
}
