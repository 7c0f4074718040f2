package io.rapace.core.codec;

import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * {@code HashSet<T>}: a {@code Set}, as a varint count and the elements in iteration order. Decodes into a
 * {@link LinkedHashSet} in wire order and rejects duplicate elements.
 */
final class SetCodec implements PostcardCodec<Set<@Nullable Object>> {

    private final PostcardCodec<@Nullable Object> element;

    private final String rustName;

    SetCodec(PostcardCodec<@Nullable Object> element) {
        this.element = element;
        this.rustName = "HashSet<" + element + ">";
    }

    @Override
    public void encode(@Nullable Set<@Nullable Object> value, PostcardWriter out) {
        if (value == null) {
            throw Missing.value(this.rustName);
        }
        out.writeLength(value.size());
        int index = 0;
        try {
            for (Object item : value) {
                this.element.encode(item, out);
                index++;
            }
        }
        catch (PostcardEncodeException ex) {
            throw ex.at("[element " + index + "]");
        }
    }

    @Override
    public Set<@Nullable Object> decode(PostcardReader in) {
        int count = in.readLength(this.rustName, this.element.minEncodedSize());
        Set<@Nullable Object> items = LinkedHashSet.newLinkedHashSet(count);
        for (int i = 0; i < count; i++) {
            Object item = this.element.decode(in);
            if (!items.add(item)) {
                throw in.error("duplicate element " + Describe.briefly(item) + " in " + this.rustName);
            }
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
