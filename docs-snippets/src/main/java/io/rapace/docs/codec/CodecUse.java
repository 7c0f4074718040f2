package io.rapace.docs.codec;

import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.util.List;

import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.TypeRef;
import io.rapace.core.codec.Unsigned;
import org.jspecify.annotations.Nullable;

/** The codec API on a record, a generic type, a method's parameters. */
final class CodecUse {

    /** A record with no markers. */
    record Item(String name, long count) {
    }

    private CodecUse() {
    }

    static Item roundTrip(Method method, AnnotatedType annotatedType, Item item) {
        // snippet: codec-api
        PostcardCodec<Item> items = Codecs.of(Item.class);                        // a class with no markers
        PostcardCodec<List<Integer>> u32s = Codecs.of(new TypeRef<List<@Unsigned Integer>>() { });
        PostcardCodec<?> arg = Codecs.of(method.getAnnotatedParameterTypes()[0]); // a declared type, markers included
        PostcardCodec<@Nullable Object> any = Codecs.untyped(annotatedType);      // same, typed as Object for dispatch
        PostcardCodec<@Nullable Object[]> args = Codecs.parameters(method);       // all parameters as one tuple
        PostcardCodec<@Nullable Object[]> pair = Codecs.tuple(List.of(Codecs.of(int.class), Codecs.of(int.class)));

        byte[] body = Codecs.encode(items, item);   // fresh array of exactly the encoded length
        Item back = Codecs.decode(items, body);     // whole buffer; trailing bytes are an error
        // end-snippet
        return List.of(u32s, arg, any, args, pair).isEmpty() ? item : back;
    }
}
