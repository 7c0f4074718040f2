package io.rapace.core.codec;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The assertion for a decode failure: an INVALID_ARGUMENT {@link RapaceException} with an exact message. */
final class DecodeErrors {

    private DecodeErrors() {
    }

    /** Asserts that {@code call} fails with {@code "decode error: " + message} and {@link ErrorCode#INVALID_ARGUMENT}. */
    static void assertDecodeError(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(RapaceException.class,
                ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessage("decode error: " + message);
    }
}
