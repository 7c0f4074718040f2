package io.rapace.core.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

import org.jspecify.annotations.Nullable;

/** {@code Vec<T>}: a {@code List}, as a varint count and the elements. Decodes into an {@link ArrayList}. */
final class ListCodec implements PostcardCodec<List<@Nullable Object>> {

    private final PostcardCodec<@Nullable Object> element;

    private final String rustName;

    ListCodec(PostcardCodec<@Nullable Object> element) {
        this.element = element;
        this.rustName = "Vec<" + element + ">";
    }

    @Override
    public void encode(@Nullable List<@Nullable Object> value, PostcardWriter out) {
        if (value == null) {
            throw Missing.value(this.rustName);
        }
        out.writeLength(value.size());
        int index = 0;
        try {
            if (value instanceof RandomAccess) {
                for (int size = value.size(); index < size; index++) {
                    this.element.encode(value.get(index), out);
                }
            }
            else {
                for (Object item : value) {
                    this.element.encode(item, out);
                    index++;
                }
            }
        }
        catch (PostcardEncodeException ex) {
            throw ex.at("[" + index + "]");
        }
    }

    @Override
    public List<@Nullable Object> decode(PostcardReader in) {
        int count = in.readLength(this.rustName, this.element.minEncodedSize());
        List<@Nullable Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(this.element.decode(in));
        }
        return items;
    }

    @Override
    public int minEncodedSize() {
        return 1;
    }

    @Override
    public String toString() {
        return this.rustName;
    }
}
