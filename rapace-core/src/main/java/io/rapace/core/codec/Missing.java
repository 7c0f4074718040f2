package io.rapace.core.codec;

/** The failure for a {@code null} where the declared type has no {@code Option}. */
final class Missing {

    private Missing() {
    }

    /** A {@code null} where a value of the named Rust type is required. */
    static PostcardEncodeException value(String rustType) {
        return new PostcardEncodeException("null, but the type " + rustType
                + " is not an Option (declare it @Nullable or Optional to allow null)");
    }
}
