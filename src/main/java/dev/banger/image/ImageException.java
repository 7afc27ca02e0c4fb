package dev.banger.image;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;

/**
 * Building or inspecting a guest image failed on purpose: a bad package list, an invalid manifest,
 * a work seed whose layout cannot be repaired safely. Messages name the file (and line) or field
 * and say what to do next. Immutable.
 */
public final class ImageException extends BangerException {
    ImageException(ErrorKind kind, String message) {
        super(kind, message);
    }

    ImageException(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    static ImageException invalid(String message) {
        return new ImageException(ErrorKind.INVALID_ARGUMENT, message);
    }

    static ImageException conflict(String message) {
        return new ImageException(ErrorKind.CONFLICT, message);
    }

    static ImageException precondition(String message) {
        return new ImageException(ErrorKind.PRECONDITION_FAILED, message);
    }

    static ImageException io(String message, Throwable cause) {
        return new ImageException(ErrorKind.INTERNAL, message, cause);
    }
}
