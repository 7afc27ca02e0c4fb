package dev.banger.store;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * A failure of the state store: a clash with existing rows ({@link ErrorKind#CONFLICT}), a missing
 * row ({@link ErrorKind#NOT_FOUND}), bad input ({@link ErrorKind#INVALID_ARGUMENT}), an exhausted
 * address pool ({@link ErrorKind#PRECONDITION_FAILED}), or a database that cannot be used or holds
 * a row that cannot be decoded ({@link ErrorKind#INTERNAL}). Messages name the table, row and
 * column involved and say what to do next.
 */
public final class StoreException extends BangerException {
    public StoreException(ErrorKind kind, String message) {
        super(kind, message);
    }

    public StoreException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
