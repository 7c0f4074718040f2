package io.rapace.core.codec;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * {@code HashMap<K, V>}: a {@code Map}, as a varint count and key-value pairs in iteration order. Decodes into a
 * {@link LinkedHashMap} in wire order and rejects duplicate keys.
 */
final class MapCodec implements PostcardCodec<Map<@Nullable Object, @Nullable Object>> {

    private final PostcardCodec<@Nullable Object> key;

    private final PostcardCodec<@Nullable Object> value;

    private final String rustName;

    private final int minEntrySize;

    MapCodec(PostcardCodec<@Nullable Object> key, PostcardCodec<@Nullable Object> value) {
        this.key = key;
        this.value = value;
        this.rustName = "HashMap<" + key + ", " + value + ">";
        this.minEntrySize = key.minEncodedSize() + value.minEncodedSize();
    }

    @Override
    public void encode(@Nullable Map<@Nullable Object, @Nullable Object> map, PostcardWriter out) {
        if (map == null) {
            throw Missing.value(this.rustName);
        }
        out.writeLength(map.size());
        for (Map.Entry<@Nullable Object, @Nullable Object> entry : map.entrySet()) {
            Object k = entry.getKey();
            try {
                this.key.encode(k, out);
            }
            catch (PostcardEncodeException ex) {
                throw ex.at("[key " + Describe.briefly(k) + "]");
            }
            try {
                this.value.encode(entry.getValue(), out);
            }
            catch (PostcardEncodeException ex) {
                throw ex.at("[" + Describe.briefly(k) + "]");
            }
        }
    }

    @Override
    public Map<@Nullable Object, @Nullable Object> decode(PostcardReader in) {
        int count = in.readLength(this.rustName, this.minEntrySize);
        Map<@Nullable Object, @Nullable Object> map = LinkedHashMap.newLinkedHashMap(count);
        for (int i = 0; i < count; i++) {
            Object k = this.key.decode(in);
            map.put(k, this.value.decode(in));
            if (map.size() != i + 1) {
                // one hash lookup per entry; a null value under a repeated key is caught too
                throw in.error("duplicate key " + Describe.briefly(k) + " in " + this.rustName);
            }
        }
        return map;
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
