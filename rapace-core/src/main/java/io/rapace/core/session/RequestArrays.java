package io.rapace.core.session;

import io.rapace.transport.shm.Frame;

/**
 * Request arrays by length, up to {@link #MAX_BYTES}, made as lengths come: the request of a handler that keeps nothing
 * of its call is copied into the array of its length rather than a new one. The session holds one set for its inline
 * calls, a reused handler call one of its own ({@link CallObjects}). Used by one thread at a time, the one reading the
 * ring (its role's lock orders the uses when another thread takes the role over).
 */
final class RequestArrays {

    /** The longest request copied into a reused array. */
    static final int MAX_BYTES = 64;

    private static final byte[] EMPTY = new byte[0];

    private final byte[][] byLength = new byte[MAX_BYTES + 1][];

    /** Whether a request of {@code length} bytes goes into a reused array. */
    static boolean fits(int length) {
        return length <= MAX_BYTES;
    }

    /** The request in a new array (none for an empty one): the transport frees the slot once the frame is handled. */
    static byte[] copyOf(Frame frame) {
        return frame.payloadLength() == 0 ? EMPTY : frame.payloadBytes();
    }

    /** The request in the array of its length when it {@linkplain #fits fits}, otherwise in a new array. */
    byte[] copy(Frame frame) {
        int length = frame.payloadLength();
        if (length == 0 || !fits(length)) {
            return copyOf(frame);
        }
        byte[] array = this.byLength[length];
        if (array == null) {
            array = new byte[length];
            this.byLength[length] = array;
        }
        frame.copyPayload(array, 0);
        return array;
    }
}
