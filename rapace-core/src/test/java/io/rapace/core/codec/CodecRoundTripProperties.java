package io.rapace.core.codec;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.rapace.core.codec.VectorTypes.Circle;
import io.rapace.core.codec.VectorTypes.Color;
import io.rapace.core.codec.VectorTypes.Item;
import io.rapace.core.codec.VectorTypes.Point;
import io.rapace.core.codec.VectorTypes.Rect;
import io.rapace.core.codec.VectorTypes.Shape;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random values of every supported type survive encode then decode unchanged, and re-encode to the same bytes;
 * integers match an independent big-integer LEB128/zigzag reference.
 */
class CodecRoundTripProperties {

    record Tree(int value, List<Tree> children) {
    }

    record Everything(boolean flag, byte i8, @Unsigned byte u8, short i16, @Unsigned short u16, int i32,
            @Unsigned int u32, long i64, @Unsigned long u64, float f32, double f64, char letter, String text,
            byte[] blob, @FixedLength(3) byte[] triple, List<Point> points, Optional<String> maybe,
            @Nullable Color color, Map<String, Set<Long>> index, Shape shape) {
    }

    record Primitives(boolean flag, byte i8, @Unsigned byte u8, short i16, @Unsigned short u16, int i32,
            @Unsigned int u32, long i64, @Unsigned long u64, float f32, double f64, char letter) {
    }

    private static <T> void roundTrip(PostcardCodec<T> codec, T value) {
        byte[] bytes = Codecs.encode(codec, value);
        T decoded = Codecs.decode(codec, bytes);
        assertThat(decoded).usingRecursiveComparison().isEqualTo(value);
        assertThat(Codecs.encode(codec, decoded)).isEqualTo(bytes);
    }

    @Property
    void signedIntegersMatchZigzagLeb128(@ForAll long value) {
        BigInteger v = BigInteger.valueOf(value);
        BigInteger zigzag = v.signum() >= 0 ? v.shiftLeft(1) : v.negate().shiftLeft(1).subtract(BigInteger.ONE);
        assertThat(Codecs.encode(Codecs.of(long.class), value)).isEqualTo(leb128(zigzag));
        roundTrip(Codecs.of(long.class), value);
        roundTrip(Codecs.of(int.class), (int) value);
        roundTrip(Codecs.of(short.class), (short) value);
        roundTrip(Codecs.of(byte.class), (byte) value);
        assertThat(Codecs.encode(Codecs.of(int.class), (int) value))
                .isEqualTo(Codecs.encode(Codecs.of(long.class), (long) (int) value));
    }

    @Property
    void unsignedIntegersMatchLeb128OfTheUnsignedValue(@ForAll long value) {
        assertThat(Codecs.encode(Codecs.of(new TypeRef<@Unsigned Long>() { }), value))
                .isEqualTo(leb128(new BigInteger(Long.toUnsignedString(value))));
        assertThat(Codecs.encode(Codecs.of(new TypeRef<@Unsigned Integer>() { }), (int) value))
                .isEqualTo(leb128(BigInteger.valueOf(Integer.toUnsignedLong((int) value))));
        assertThat(Codecs.encode(Codecs.of(new TypeRef<@Unsigned Short>() { }), (short) value))
                .isEqualTo(leb128(BigInteger.valueOf(Short.toUnsignedInt((short) value))));
        roundTrip(Codecs.of(new TypeRef<@Unsigned Long>() { }), value);
        roundTrip(Codecs.of(new TypeRef<@Unsigned Integer>() { }), (int) value);
        roundTrip(Codecs.of(new TypeRef<@Unsigned Short>() { }), (short) value);
        roundTrip(Codecs.of(new TypeRef<@Unsigned Byte>() { }), (byte) value);
    }

    @Property
    void floatsKeepTheirExactBits(@ForAll int floatBits, @ForAll long doubleBits) {
        float f = Float.intBitsToFloat(floatBits);
        double d = Double.longBitsToDouble(doubleBits);
        assertThat(Float.floatToRawIntBits(Codecs.decode(Codecs.of(float.class), Codecs.encode(Codecs.of(float.class),
                f)))).isEqualTo(floatBits);
        assertThat(Double.doubleToRawLongBits(Codecs.decode(Codecs.of(double.class),
                Codecs.encode(Codecs.of(double.class), d)))).isEqualTo(doubleBits);
    }

    @Property
    void stringsAreUtf8WithALengthPrefix(@ForAll("text") String text) {
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(leb128(BigInteger.valueOf(utf8.length)));
        expected.writeBytes(utf8);
        assertThat(Codecs.encode(Codecs.of(String.class), text)).isEqualTo(expected.toByteArray());
        roundTrip(Codecs.of(String.class), text);
    }

    @Property
    void charsOutsideTheSurrogateRangeRoundTrip(@ForAll char c) {
        if (Character.isSurrogate(c)) {
            return;
        }
        assertThat(Codecs.encode(Codecs.of(char.class), c)).isEqualTo(Codecs.encode(Codecs.of(String.class),
                String.valueOf(c)));
        roundTrip(Codecs.of(char.class), c);
    }

    @Property(tries = 300)
    void recordsWithEveryKindOfComponentRoundTrip(@ForAll("everything") Everything value) {
        roundTrip(Codecs.of(Everything.class), value);
    }

    @Property(tries = 300)
    void primitiveComponentsEncodeExactlyLikeTheirStandaloneCodecs(@ForAll boolean flag, @ForAll byte i8,
            @ForAll byte u8, @ForAll short i16, @ForAll short u16, @ForAll int i32, @ForAll int u32, @ForAll long i64,
            @ForAll long u64, @ForAll float f32, @ForAll double f64, @ForAll char letter) {
        char c = Character.isSurrogate(letter) ? 'x' : letter;
        PostcardCodec<@Nullable Object[]> standalone = Codecs.tuple(List.of(Codecs.of(boolean.class),
                Codecs.of(byte.class), Codecs.of(new TypeRef<@Unsigned Byte>() { }), Codecs.of(short.class),
                Codecs.of(new TypeRef<@Unsigned Short>() { }), Codecs.of(int.class),
                Codecs.of(new TypeRef<@Unsigned Integer>() { }), Codecs.of(long.class),
                Codecs.of(new TypeRef<@Unsigned Long>() { }), Codecs.of(float.class), Codecs.of(double.class),
                Codecs.of(char.class)));
        byte[] expected = Codecs.encode(standalone,
                new Object[] { flag, i8, u8, i16, u16, i32, u32, i64, u64, f32, f64, c });
        Primitives value = new Primitives(flag, i8, u8, i16, u16, i32, u32, i64, u64, f32, f64, c);
        assertThat(Codecs.encode(Codecs.of(Primitives.class), value)).isEqualTo(expected);
        roundTrip(Codecs.of(Primitives.class), value);
    }

    @Property(tries = 300)
    void itemsRoundTrip(@ForAll("items") Item item) {
        roundTrip(Codecs.of(Item.class), item);
    }

    @Property(tries = 200)
    void recursiveTreesRoundTrip(@ForAll("trees") Tree tree) {
        roundTrip(Codecs.of(Tree.class), tree);
    }

    @Property(tries = 200)
    void tuplesAreTheirElementsConcatenated(@ForAll("text") String name, @ForAll int count, @ForAll boolean flag) {
        PostcardCodec<@Nullable Object[]> tuple = Codecs.tuple(List.of(Codecs.of(String.class),
                Codecs.of(new TypeRef<@Unsigned Integer>() { }), Codecs.of(boolean.class)));
        Object[] values = { name, count, flag };
        byte[] bytes = Codecs.encode(tuple, values);
        PostcardWriter separately = new PostcardWriter();
        separately.writeString(name);
        separately.writeU32(count);
        separately.writeBool(flag);
        assertThat(bytes).isEqualTo(separately.toByteArray());
        assertThat(Codecs.decode(tuple, bytes)).containsExactly(name, count, flag);
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list().ofMaxSize(40)
                .map(codePoints -> new String(codePoints.stream().mapToInt(Integer::intValue).toArray(), 0,
                        codePoints.size()));
    }

    @Provide
    Arbitrary<Item> items() {
        return Combinators.combine(Arbitraries.longs(), text(), text().list().ofMaxSize(5),
                Arbitraries.doubles().injectNull(0.3))
                .as(Item::new);
    }

    @Provide
    Arbitrary<Tree> trees() {
        return Arbitraries.recursive(
                () -> Arbitraries.integers().map(v -> new Tree(v, List.of())),
                child -> Combinators.combine(Arbitraries.integers(), child.list().ofMaxSize(3)).as(Tree::new),
                0, 5);
    }

    @Provide
    Arbitrary<Shape> shapes() {
        return Arbitraries.oneOf(Arbitraries.doubles().map(Circle::new),
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers()).as(Rect::new));
    }

    @Provide
    Arbitrary<Everything> everything() {
        Arbitrary<Object[]> scalars = Combinators.combine(List.of(Arbitraries.of(true, false).map(Object.class::cast),
                Arbitraries.bytes().map(Object.class::cast), Arbitraries.bytes().map(Object.class::cast),
                Arbitraries.shorts().map(Object.class::cast), Arbitraries.shorts().map(Object.class::cast),
                Arbitraries.integers().map(Object.class::cast), Arbitraries.integers().map(Object.class::cast),
                Arbitraries.longs().map(Object.class::cast), Arbitraries.longs().map(Object.class::cast),
                Arbitraries.floats().map(Object.class::cast), Arbitraries.doubles().map(Object.class::cast),
                Arbitraries.chars().filter(c -> !Character.isSurrogate(c)).map(Object.class::cast)))
                .as(List::toArray);
        Arbitrary<Object[]> composites = Combinators.combine(List.of(text().map(Object.class::cast),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(Object.class::cast),
                Arbitraries.bytes().array(byte[].class).ofSize(3).map(Object.class::cast),
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers()).as(Point::new).list()
                        .ofMaxSize(4).map(Object.class::cast),
                text().optional().map(Object.class::cast),
                Arbitraries.of(Color.class).injectNull(0.3).map(o -> (Object) o),
                Arbitraries.maps(text(), Arbitraries.longs().set().ofMaxSize(3)).ofMaxSize(3).map(Object.class::cast),
                shapes().map(Object.class::cast)))
                .as(List::toArray);
        return Combinators.combine(scalars, composites).as((s, c) -> new Everything((Boolean) s[0], (Byte) s[1],
                (Byte) s[2], (Short) s[3], (Short) s[4], (Integer) s[5], (Integer) s[6], (Long) s[7], (Long) s[8],
                (Float) s[9], (Double) s[10], (Character) s[11], (String) c[0], (byte[]) c[1], (byte[]) c[2],
                castList(c[3]), castOptional(c[4]), (Color) c[5], castMap(c[6]), (Shape) c[7]));
    }

    @SuppressWarnings("unchecked")
    private static List<Point> castList(Object value) {
        return (List<Point>) value;
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> castOptional(Object value) {
        return (Optional<String>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Set<Long>> castMap(Object value) {
        return (Map<String, Set<Long>>) value;
    }

    /** Unsigned LEB128 computed with BigInteger, independent of the codec's own loop. */
    private static byte[] leb128(BigInteger value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BigInteger rest = value;
        BigInteger mask = BigInteger.valueOf(0x7F);
        do {
            int low = rest.and(mask).intValue();
            rest = rest.shiftRight(7);
            out.write(rest.signum() == 0 ? low : low | 0x80);
        } while (rest.signum() != 0);
        return out.toByteArray();
    }
}
