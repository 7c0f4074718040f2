package io.rapace.core.codec;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.rapace.core.codec.VectorTypes.Item;
import io.rapace.core.codec.VectorTypes.Point;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static io.rapace.core.codec.DecodeErrors.assertDecodeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Encoding and decoding behaviour beyond the golden vectors: markers, nulls, strictness, recursion. */
class CodecBehaviourTest {

    record Order(String customer, List<Item> items) {
    }

    record Tree(int value, List<Tree> children) {
    }

    record Node(int value, @Nullable Node next) {
    }

    sealed interface Expr permits Literal, Sum {
    }

    record Literal(int value) implements Expr {
    }

    record Sum(Expr left, Expr right) implements Expr {
    }

    record Positive(int value) {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive: " + value);
            }
        }
    }

    record Empty() {
    }

    record Hash(@FixedLength(4) byte[] bytes) {
    }

    private static final HexFormat HEX = HexFormat.of();

    private static <T> String hex(PostcardCodec<T> codec, T value) {
        return HEX.formatHex(Codecs.encode(codec, value));
    }

    private static <T> T decodeHex(PostcardCodec<T> codec, String hex) {
        return Codecs.decode(codec, HEX.parseHex(hex));
    }

    @Test
    void unsignedMarkersCarryTheUnsignedValueOfTheBits() {
        assertThat(hex(Codecs.of(new TypeRef<@Unsigned Short>() { }), (short) -1)).isEqualTo("ffff03");
        assertThat(hex(Codecs.of(new TypeRef<@Unsigned Integer>() { }), -1)).isEqualTo("ffffffff0f");
        assertThat(hex(Codecs.of(new TypeRef<@Unsigned Long>() { }), Long.MIN_VALUE)).isEqualTo("80808080808080808001");
        assertThat(hex(Codecs.of(new TypeRef<@Unsigned Byte>() { }), (byte) -56)).isEqualTo("c8");
        assertThat(decodeHex(Codecs.of(new TypeRef<@Unsigned Short>() { }), "ffff03")).isEqualTo((short) -1);
        assertThat(decodeHex(Codecs.of(new TypeRef<@Unsigned Long>() { }), "ffffffffffffffffff01")).isEqualTo(-1L);
    }

    @Test
    void varintsBeyondTheirTypeAreRejected() {
        assertDecodeError(() -> decodeHex(Codecs.of(new TypeRef<@Unsigned Short>() { }), "808004"),
                "varint for u16 exceeds 16 bits at offset 0");
        assertDecodeError(() -> decodeHex(Codecs.of(short.class), "80808001"),
                "varint for i16 longer than 3 bytes at offset 0");
        assertDecodeError(() -> decodeHex(Codecs.of(long.class), "ffffffffffffffffff02"),
                "varint for i64 exceeds 64 bits at offset 0");
        assertDecodeError(() -> decodeHex(Codecs.of(long.class), "ffffffffffffffffffff01"),
                "varint for i64 longer than 10 bytes at offset 0");
        assertDecodeError(() -> decodeHex(Codecs.of(int.class), "8080"),
                "varint for i32 cut off after 2 byte(s) at offset 0");
    }

    @Test
    void charsAreStringsOfOneCodePoint() {
        PostcardCodec<Character> codec = Codecs.of(char.class);
        assertThat(hex(codec, 'a')).isEqualTo("0161");
        assertThat(hex(codec, '\u00e9')).isEqualTo("02c3a9");
        assertThat(hex(codec, '\u2713')).isEqualTo("03e29c93");
        assertThat(decodeHex(codec, "03e29c93")).isEqualTo('\u2713');
        assertThatThrownBy(() -> hex(codec, '\ud800')).isInstanceOf(PostcardEncodeException.class)
                .hasMessageContaining("char U+D800 is a surrogate, which is not a Rust char");
        assertDecodeError(() -> decodeHex(codec, "04f09f9880"),
                "char U+1F600 (read at offset 0) does not fit a Java char at offset 5");
        assertDecodeError(() -> decodeHex(codec, "026162"),
                "char must be exactly one code point, found 2 (read at offset 0) at offset 3");
        assertDecodeError(() -> decodeHex(codec, "00"),
                "char must be exactly one code point, found 0 (read at offset 0) at offset 1");
    }

    @Test
    void stringsWithUnpairedSurrogatesAreRefused() {
        assertThatThrownBy(() -> hex(Codecs.of(String.class), "ab\udc00"))
                .isInstanceOf(PostcardEncodeException.class)
                .hasMessage("cannot encode value: string holds an unpaired surrogate U+DC00 at index 2, which no "
                        + "Rust String can hold");
        assertThat(hex(Codecs.of(String.class), "\ud83d\ude00")).isEqualTo("04f09f9880");
    }

    @Test
    void overlongAndSurrogateUtf8IsRejected() {
        assertDecodeError(() -> decodeHex(Codecs.of(String.class), "02c0af"),
                "string of 2 bytes is not valid UTF-8 at offset 0");
        assertDecodeError(() -> decodeHex(Codecs.of(String.class), "03eda080"),
                "string of 3 bytes is not valid UTF-8 at offset 0");
    }

    @Test
    void nullWithoutOptionIsRefusedWithThePath() {
        PostcardCodec<Order> codec = Codecs.of(Order.class);
        List<String> tags = new ArrayList<>();
        tags.add("ok");
        tags.add(null);
        Order order = new Order("ann", List.of(new Item(1, "a", List.of(), null), new Item(2, "b", tags, 1.0)));
        assertThatThrownBy(() -> Codecs.encode(codec, order)).isInstanceOfSatisfying(PostcardEncodeException.class,
                ex -> assertThat(ex.path()).isEqualTo("Order.items[1].tags[1]"))
                .hasMessage("cannot encode Order.items[1].tags[1]: null, but the type String is not an Option "
                        + "(declare it @Nullable or Optional to allow null)");
        assertThatThrownBy(() -> Codecs.encode(codec, new Order(null, List.of())))
                .hasMessageStartingWith("cannot encode Order.customer: null");
        PostcardCodec<@Nullable Object[]> args = Codecs.tuple(List.of(Codecs.of(int.class), Codecs.of(Point.class)));
        assertThatThrownBy(() -> Codecs.encode(args, new Object[] { 1, null }))
                .hasMessageStartingWith("cannot encode arguments[1]: null, but the type Point is not an Option");
        assertThatThrownBy(() -> Codecs.encode(args, new Object[] { "one", new Point(1, 2) }))
                .isInstanceOf(PostcardEncodeException.class)
                .hasMessageStartingWith("cannot encode arguments[0]: a java.lang.String where i32 is declared");
        assertThatThrownBy(() -> Codecs.encode(args, new Object[] { 1 }))
                .hasMessage("cannot encode value: 1 values for (i32, Point), which has 2 elements");
    }

    @Test
    void fixedLengthArraysOfTheWrongLengthAreRefused() {
        PostcardCodec<Hash> codec = Codecs.of(Hash.class);
        assertThat(hex(codec, new Hash(new byte[] { 1, 2, 3, 4 }))).isEqualTo("01020304");
        assertThatThrownBy(() -> hex(codec, new Hash(new byte[3]))).isInstanceOf(PostcardEncodeException.class)
                .hasMessage("cannot encode Hash.bytes: byte[] of length 3 where [u8; 4] needs exactly 4 bytes");
        assertDecodeError(() -> decodeHex(codec, "010203"), "[u8; 4] needs 4 bytes but 3 remain at offset 0");
    }

    @Test
    void recordValidationFailuresOnDecodeAreInvalidArgument() {
        PostcardCodec<Positive> codec = Codecs.of(Positive.class);
        assertThat(decodeHex(codec, "02")).isEqualTo(new Positive(1));
        assertDecodeError(() -> decodeHex(codec, "01"), "Positive rejected the decoded values: "
                + "java.lang.IllegalArgumentException: value must be positive: -1 at offset 1");
    }

    @Test
    void recursiveTypesRoundTrip() {
        PostcardCodec<Tree> trees = Codecs.of(Tree.class);
        Tree tree = new Tree(1, List.of(new Tree(2, List.of()), new Tree(3, List.of(new Tree(4, List.of())))));
        assertThat(hex(trees, tree)).isEqualTo("02" + "02" + "0400" + "06" + "01" + "0800");
        assertThat(decodeHex(trees, hex(trees, tree))).isEqualTo(tree);

        PostcardCodec<Expr> exprs = Codecs.of(Expr.class);
        Expr sum = new Sum(new Literal(1), new Sum(new Literal(2), new Literal(3)));
        assertThat(hex(exprs, sum)).isEqualTo("01" + "0002" + "01" + "0004" + "0006");
        assertThat(decodeHex(exprs, hex(exprs, sum))).isEqualTo(sum);
    }

    @Test
    void hostileNestingStopsAtTheDepthLimit() {
        PostcardCodec<Node> nodes = Codecs.of(Node.class);
        Node allowed = chain(PostcardReader.MAX_DEPTH);
        assertThat(decodeHex(nodes, hex(nodes, allowed))).isEqualTo(allowed);

        // 129 nested nodes: value 0, Some(next) ... each "0001", the last "0000"
        String tooDeep = "0001".repeat(PostcardReader.MAX_DEPTH) + "0000";
        assertDecodeError(() -> decodeHex(nodes, tooDeep),
                "value nests deeper than 128 levels of a recursive type at offset " + 2 * PostcardReader.MAX_DEPTH);
        assertThatThrownBy(() -> hex(nodes, chain(PostcardReader.MAX_DEPTH + 1)))
                .isInstanceOf(PostcardEncodeException.class)
                .hasMessageContaining("value nests deeper than 128 levels of a recursive type (is it cyclic?)");

        // a million nested "Sum(" headers: must fail cleanly, not overflow the stack
        byte[] hostile = new byte[1_000_000];
        java.util.Arrays.fill(hostile, (byte) 1);
        assertDecodeError(() -> Codecs.decode(Codecs.of(Expr.class), hostile),
                "value nests deeper than 128 levels of a recursive type at offset 128");
    }

    @Test
    void cyclicValuesFailCleanlyOnEncode() {
        List<Tree> children = new ArrayList<>();
        Tree cyclic = new Tree(0, children);
        children.add(cyclic);
        assertThatThrownBy(() -> Codecs.encode(Codecs.of(Tree.class), cyclic))
                .isInstanceOf(PostcardEncodeException.class)
                .hasMessageStartingWith("cannot encode Tree.children[0].children[0]");
    }

    private static Node chain(int length) {
        Node node = null;
        for (int i = 0; i < length; i++) {
            node = new Node(0, node);
        }
        return node;
    }

    @Test
    void mapsKeepWireOrderAndRejectDuplicateKeys() {
        PostcardCodec<Map<String, Integer>> codec = Codecs.of(new TypeRef<Map<String, Integer>>() { });
        Map<String, Integer> decoded = decodeHex(codec, "03" + "017a02" + "016104" + "016d06");
        assertThat(decoded).isInstanceOf(LinkedHashMap.class).containsExactly(Map.entry("z", 1), Map.entry("a", 2),
                Map.entry("m", 3));
        assertDecodeError(() -> decodeHex(codec, "02" + "016102" + "016104"),
                "duplicate key \"a\" in HashMap<String, i32> at offset 7");
        Map<String, Integer> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> Codecs.encode(codec, nullValue))
                .hasMessageStartingWith("cannot encode value[\"k\"]: null, but the type i32 is not an Option");
    }

    @Test
    void setsRejectDuplicateElements() {
        PostcardCodec<Set<Integer>> codec = Codecs.of(new TypeRef<Set<Integer>>() { });
        assertThat(decodeHex(codec, "03060402")).containsExactly(3, 2, 1);
        assertDecodeError(() -> decodeHex(codec, "020202"), "duplicate element 1 in HashSet<i32> at offset 3");
    }

    @Test
    void optionalsAndNullablesAreOptions() {
        PostcardCodec<Optional<String>> optional = Codecs.of(new TypeRef<Optional<String>>() { });
        assertThat(hex(optional, Optional.empty())).isEqualTo("00");
        assertThat(hex(optional, Optional.of("hi"))).isEqualTo("01026869");
        assertThat(decodeHex(optional, "01026869")).contains("hi");
        assertThatThrownBy(() -> hex(optional, null)).isInstanceOf(PostcardEncodeException.class)
                .hasMessageContaining("null Optional: use Optional.empty()");
        PostcardCodec<List<@Nullable Integer>> list = Codecs.of(new TypeRef<List<@Nullable Integer>>() { });
        List<@Nullable Integer> values = new ArrayList<>();
        values.add(null);
        values.add(-1);
        assertThat(hex(list, values)).isEqualTo("02000101");
        assertThat(decodeHex(list, "02000101")).containsExactly(null, -1);
        assertThat(hex(Codecs.of(new TypeRef<byte @Nullable []>() { }), null)).isEqualTo("00");
        assertThat(hex(Codecs.of(new TypeRef<@Nullable byte[]>() { }), new byte[] { 9 })).isEqualTo("010109");
    }

    @Test
    void countsAreCheckedAgainstTheSmallestElementBeforeAllocating() {
        PostcardCodec<List<Point>> points = Codecs.of(new TypeRef<List<Point>>() { });
        assertDecodeError(() -> decodeHex(points, "03" + "0000" + "0000" + "00"),
                "Vec<Point> length 3 (at least 2 bytes each) exceeds remaining 5 bytes at offset 1");
        assertDecodeError(() -> decodeHex(Codecs.of(new TypeRef<List<Double>>() { }), "ffffffff0f" + "00"),
                "Vec<f64> length 4294967295 (at least 8 bytes each) exceeds remaining 1 bytes at offset 5");
        assertDecodeError(() -> decodeHex(Codecs.of(String.class), "ffffffffffffffffff01"),
                "string length 18446744073709551615 exceeds remaining 0 bytes at offset 10");
    }

    @Test
    void zeroSizedElementsHaveACountLimit() {
        PostcardCodec<List<Empty>> empties = Codecs.of(new TypeRef<List<Empty>>() { });
        assertThat(decodeHex(empties, "03")).containsExactly(new Empty(), new Empty(), new Empty());
        assertDecodeError(() -> decodeHex(empties, "ffffffff0f"),
                "Vec<Empty> length 4294967295 exceeds the limit of 65536 for zero-sized elements at offset 0");
    }

    @Test
    void zeroSizedLimitHoldsForTheWholeValueNotPerNestedSequence() {
        PostcardCodec<List<List<Empty>>> nested = Codecs.of(new TypeRef<List<List<Empty>>>() { });
        // 20,000 inner lists of 65,536 empties each: 60 KB of input asking for 1.3 billion elements.
        StringBuilder hex = new StringBuilder("a09c01");  // varint 20000
        hex.append("808004".repeat(20_000));              // varint 65536 each
        assertDecodeError(() -> decodeHex(nested, hex.toString()),
                "Vec<Empty> length 65536 exceeds the limit of 65536 for zero-sized elements in one value (0 left) at offset 6");
        assertThat(decodeHex(nested, "02" + "808002" + "808002")).hasSize(2)
                .allSatisfy(inner -> assertThat(inner).hasSize(32_768));
    }

    @Test
    void wholeBufferDecodingRejectsTrailingBytesAndHonoursTheRange() {
        PostcardCodec<Point> codec = Codecs.of(Point.class);
        assertDecodeError(() -> decodeHex(codec, "050800"), "1 trailing byte(s) after the value at offset 2");
        byte[] framed = HEX.parseHex("ff0508ff");
        assertThat(Codecs.decode(codec, framed, 1, 2)).isEqualTo(new Point(-3, 4));
        assertDecodeError(() -> Codecs.decode(codec, framed, 1, 1), "empty input for i32 at offset 1");
    }

    @Test
    void listsWithoutRandomAccessEncodeTheSame() {
        PostcardCodec<List<String>> codec = Codecs.of(new TypeRef<List<String>>() { });
        assertThat(hex(codec, new LinkedList<>(List.of("a", "bc")))).isEqualTo("020161026263");
    }
}
