package io.rapace.core.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

/**
 * A length-prefixed sequence of elements, {@code Vec<T>} as a {@code List} or {@code HashSet<T>} as a {@code Set}: a
 * varint count, then the elements in iteration order. The count is checked against the remaining input before the
 * collection is allocated ({@link PostcardReader#readLength}). Decoding rejects an element the collection refuses to
 * add, that is a duplicate element of a set.
 *
 * @param <C> the Java collection
 */
final class SequenceCodec<C extends Collection<@Nullable Object>> implements PostcardCodec<C> {

    private final PostcardCodec<@Nullable Object> element;

    private final String rustName;

    /** What goes before an element's index in an encoding failure's path: {@code "[3]"} or {@code "[element 3]"}. */
    private final String indexLabel;

    private final IntFunction<C> allocate;

    private SequenceCodec(String rustName, PostcardCodec<@Nullable Object> element, String indexLabel,
            IntFunction<C> allocate) {
        this.element = element;
        this.rustName = rustName;
        this.indexLabel = indexLabel;
        this.allocate = allocate;
    }

    /** {@code Vec<T>}: decodes into an {@link ArrayList}. */
    static SequenceCodec<List<@Nullable Object>> list(PostcardCodec<@Nullable Object> element) {
        return new SequenceCodec<>("Vec<" + element + ">", element, "", ArrayList::new);
    }

    /** {@code HashSet<T>}: decodes into a {@link LinkedHashSet} in wire order, rejecting duplicate elements. */
    static SequenceCodec<Set<@Nullable Object>> set(PostcardCodec<@Nullable Object> element) {
        return new SequenceCodec<>("HashSet<" + element + ">", element, "element ", LinkedHashSet::newLinkedHashSet);
    }

    @Override
    public void encode(@Nullable C value, PostcardWriter out) {
        if (value == null) {
            throw Missing.value(this.rustName);
        }
        out.writeLength(value.size());
        int index = 0;
        try {
            if (value instanceof RandomAccess && value instanceof List<@Nullable Object> list) {
                for (int size = list.size(); index < size; index++) {
                    this.element.encode(list.get(index), out);
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
            throw ex.at("[" + this.indexLabel + index + "]");
        }
    }

    @Override
    public C decode(PostcardReader in) {
        int count = in.readLength(this.rustName, this.element.minEncodedSize());
        C items = this.allocate.apply(count);
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
