package io.rapace.core.codec;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Method arguments as a Rust tuple: the elements' encodings concatenated. Zero elements encode to nothing, one
 * element to that value alone (postcard adds no framing either way).
 */
final class TupleCodec implements PostcardCodec<@Nullable Object[]> {

    private final PostcardCodec<@Nullable Object>[] elements;

    private final int minEncodedSize;

    @SuppressWarnings("unchecked")
    TupleCodec(List<? extends PostcardCodec<?>> elements) {
        this.elements = elements.toArray(PostcardCodec[]::new);
        int sum = 0;
        for (PostcardCodec<?> element : this.elements) {
            sum += element.minEncodedSize();
        }
        this.minEncodedSize = sum;
    }

    @Override
    public void encode(@Nullable Object @Nullable [] values, PostcardWriter out) {
        if (values == null) {
            throw new PostcardEncodeException("null argument array for " + this);
        }
        if (values.length != this.elements.length) {
            throw new PostcardEncodeException(values.length + " values for " + this + ", which has "
                    + this.elements.length + " elements");
        }
        for (int i = 0; i < values.length; i++) {
            try {
                this.elements[i].encode(values[i], out);
            }
            catch (PostcardEncodeException | ClassCastException ex) {
                throw Codecs.argumentFailure(ex, i, this.elements[i], values[i]);
            }
        }
    }

    @Override
    public @Nullable Object[] decode(PostcardReader in) {
        @Nullable Object[] values = new Object[this.elements.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = this.elements[i].decode(in);
        }
        return values;
    }

    @Override
    public int minEncodedSize() {
        return this.minEncodedSize;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < this.elements.length; i++) {
            text.append(i == 0 ? "" : ", ").append(this.elements[i]);
        }
        return text.append(this.elements.length == 1 ? ",)" : ")").toString();
    }
}
