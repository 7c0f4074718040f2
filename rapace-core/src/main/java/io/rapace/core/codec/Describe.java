package io.rapace.core.codec;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/** Short renderings of values for error messages. */
final class Describe {

    private static final int MAX_LENGTH = 64;

    private Describe() {
    }

    /** {@code value} as text of at most 64 characters; strings quoted, byte arrays listed. */
    static String briefly(@Nullable Object value) {
        String text;
        if (value instanceof String string) {
            text = '"' + string + '"';
        }
        else if (value instanceof byte[] bytes) {
            text = Arrays.toString(bytes);
        }
        else {
            text = String.valueOf(value);
        }
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 3) + "...";
    }
}
