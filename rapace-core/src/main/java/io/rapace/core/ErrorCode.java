package io.rapace.core;

import org.jspecify.annotations.Nullable;

/**
 * The error codes of the rapace wire contract (spec §4), carried as a {@code u32} at the start of
 * every error payload. Codes 0–14 follow gRPC; 100 and above are rapace's own.
 */
public enum ErrorCode {

    /** Not an error. */
    OK(0),
    /** The call was cancelled, usually by the caller. */
    CANCELLED(1),
    /** The call's deadline passed before it finished. */
    DEADLINE_EXCEEDED(2),
    /** The request could not be decoded or its arguments were rejected. */
    INVALID_ARGUMENT(3),
    /** A requested entity does not exist. */
    NOT_FOUND(4),
    /** An entity to be created exists already. */
    ALREADY_EXISTS(5),
    /** The caller may not do this. */
    PERMISSION_DENIED(6),
    /** A resource (slots, ring space, memory) ran out. */
    RESOURCE_EXHAUSTED(7),
    /** The system is not in the state the operation needs. */
    FAILED_PRECONDITION(8),
    /** The operation was aborted. */
    ABORTED(9),
    /** A value was outside its valid range. */
    OUT_OF_RANGE(10),
    /** No service knows the method id. */
    UNIMPLEMENTED(11),
    /** The handler failed in a way it did not classify. */
    INTERNAL(12),
    /** The service is not available right now. */
    UNAVAILABLE(13),
    /** Data was lost or corrupted. */
    DATA_LOSS(14),
    /** The peer process stopped heartbeating. */
    PEER_DIED(100),
    /** The session was closed while the call was waiting. */
    SESSION_CLOSED(101),
    /** A frame failed validation. */
    VALIDATION_FAILED(102),
    /** A frame referred to a slot whose generation had moved on. */
    STALE_GENERATION(103);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The numeric code written on the wire. */
    public int code() {
        return this.code;
    }

    /** The constant for a wire code, or {@code null} when the code is unknown to this version. */
    public static @Nullable ErrorCode fromCode(int code) {
        for (ErrorCode candidate : values()) {
            if (candidate.code == code) {
                return candidate;
            }
        }
        return null;
    }
}
