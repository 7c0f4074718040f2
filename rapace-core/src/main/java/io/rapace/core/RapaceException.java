package io.rapace.core;

import org.jspecify.annotations.Nullable;

/**
 * A failed rapace call or operation, carrying the wire {@link ErrorCode} and the message.
 *
 * <p>Thrown to callers when the peer answers with an error frame, when a call times out, when the
 * peer dies or the session closes; thrown by handlers to choose the code their error frame carries
 * (any other exception from a handler is answered with {@link ErrorCode#INTERNAL}).
 */
public class RapaceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;

    private final int rawCode;

    /** An error with a known code. */
    public RapaceException(ErrorCode errorCode, String message) {
        this(errorCode, message, null);
    }

    /** An error with a known code and a cause. */
    public RapaceException(ErrorCode errorCode, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.rawCode = errorCode.code();
    }

    /**
     * An error as received from the wire: the raw code is kept even when this version does not know it,
     * in which case {@link #errorCode()} is {@link ErrorCode#INTERNAL}.
     */
    public static RapaceException fromWire(int rawCode, String message) {
        ErrorCode known = ErrorCode.fromCode(rawCode);
        return new RapaceException(known != null ? known : ErrorCode.INTERNAL, rawCode, message);
    }

    private RapaceException(ErrorCode errorCode, int rawCode, String message) {
        super(message);
        this.errorCode = errorCode;
        this.rawCode = rawCode;
    }

    /** The error code. */
    public ErrorCode errorCode() {
        return this.errorCode;
    }

    /** The numeric code exactly as on the wire (differs from {@code errorCode().code()} only for unknown codes). */
    public int rawCode() {
        return this.rawCode;
    }

    @Override
    public String toString() {
        return "RapaceException[" + this.errorCode + " (" + this.rawCode + ")]: " + getMessage();
    }
}
