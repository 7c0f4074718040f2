package io.rapace.core.codec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.VectorTypes.Circle;
import io.rapace.core.codec.VectorTypes.Color;
import io.rapace.core.codec.VectorTypes.Item;
import io.rapace.core.codec.VectorTypes.Point;
import io.rapace.core.codec.VectorTypes.Rect;
import io.rapace.core.codec.VectorTypes.Shape;
import io.rapace.testsupport.SharedVectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every case of {@code shared/vectors/postcard.json}: valid values encode to exactly their bytes and decode back;
 * invalid bytes are rejected with InvalidArgument and a message saying what was wrong.
 */
class PostcardVectorTest {

    private static final JsonNode VECTORS = SharedVectors.vector("postcard.json");

    /** A vector type: its Java codec and how to read a JSON value as the Java value. */
    private record JavaType(PostcardCodec<@Nullable Object> codec, Function<JsonNode, @Nullable Object> value) {
    }

    @SuppressWarnings("unchecked")
    private static JavaType type(PostcardCodec<?> codec, Function<JsonNode, @Nullable Object> value) {
        return new JavaType((PostcardCodec<@Nullable Object>) codec, value);
    }

    /** The mapping from a vector's Rust type name to Java. A vector whose type is missing fails the test. */
    private static final Map<String, JavaType> TYPES = Map.ofEntries(
            Map.entry("bool", type(Codecs.of(boolean.class), JsonNode::booleanValue)),
            Map.entry("u8", type(Codecs.of(new TypeRef<@Unsigned Byte>() { }), PostcardVectorTest::u8)),
            Map.entry("i8", type(Codecs.of(byte.class), node -> (byte) checked(node, Byte.MIN_VALUE, Byte.MAX_VALUE))),
            Map.entry("u16", type(Codecs.of(new TypeRef<@Unsigned Short>() { }),
                    node -> (short) checked(node, 0, 0xFFFF))),
            Map.entry("i16", type(Codecs.of(short.class),
                    node -> (short) checked(node, Short.MIN_VALUE, Short.MAX_VALUE))),
            Map.entry("u32", type(Codecs.of(new TypeRef<@Unsigned Integer>() { }), PostcardVectorTest::u32)),
            Map.entry("i32", type(Codecs.of(int.class), PostcardVectorTest::i32)),
            Map.entry("u64", type(Codecs.of(new TypeRef<@Unsigned Long>() { }), PostcardVectorTest::u64)),
            Map.entry("i64", type(Codecs.of(long.class), node -> node.bigIntegerValue().longValueExact())),
            Map.entry("f32", type(Codecs.of(float.class), JsonNode::floatValue)),
            Map.entry("f64", type(Codecs.of(double.class), JsonNode::doubleValue)),
            Map.entry("String", type(Codecs.of(String.class), JsonNode::textValue)),
            Map.entry("Vec<u8>", type(Codecs.of(byte[].class), PostcardVectorTest::bytes)),
            Map.entry("[u8; 4]", type(Codecs.of(new TypeRef<byte @FixedLength(4) []>() { }),
                    PostcardVectorTest::bytes)),
            Map.entry("[u8; 32] (sha256 of empty input)", type(Codecs.of(new TypeRef<@FixedLength(32) byte[]>() { }),
                    node -> SharedVectors.hex(node.textValue()))),
            Map.entry("Vec<i32>", type(Codecs.of(new TypeRef<List<Integer>>() { }),
                    node -> list(node, PostcardVectorTest::i32))),
            Map.entry("Vec<String>", type(Codecs.of(new TypeRef<List<String>>() { }),
                    node -> list(node, JsonNode::textValue))),
            Map.entry("Option<i32>", type(Codecs.of(new TypeRef<@Nullable Integer>() { }),
                    node -> node.isNull() ? null : i32(node))),
            Map.entry("Option<String>", type(Codecs.of(new TypeRef<@Nullable String>() { }),
                    node -> node.isNull() ? null : node.textValue())),
            Map.entry("()", type(Codecs.of(void.class), node -> null)),
            Map.entry("(i32, i32)", type(Codecs.tuple(List.of(Codecs.of(int.class), Codecs.of(int.class))),
                    node -> new Object[] { i32(node.get(0)), i32(node.get(1)) })),
            Map.entry("(String, u32, bool)", type(Codecs.tuple(List.of(Codecs.of(String.class),
                    Codecs.of(new TypeRef<@Unsigned Integer>() { }), Codecs.of(boolean.class))),
                    node -> new Object[] { node.get(0).textValue(), u32(node.get(1)), node.get(2).booleanValue() })),
            Map.entry("struct Point { x: i32, y: i32 }", type(Codecs.of(Point.class), PostcardVectorTest::point)),
            Map.entry("struct Item { id: u64, name: String, tags: Vec<String>, price: Option<f64> }",
                    type(Codecs.of(Item.class), PostcardVectorTest::item)),
            Map.entry("enum Color { Red, Green, Blue }", type(Codecs.of(Color.class),
                    node -> Color.valueOf(node.textValue().toUpperCase(Locale.ROOT)))),
            Map.entry("enum Shape { Circle { r: f64 }, Rect { w: u32, h: u32 } }", type(Codecs.of(Shape.class),
                    PostcardVectorTest::shape)),
            Map.entry("HashMap<String, u32> (one entry)", type(Codecs.of(new TypeRef<Map<String, @Unsigned Integer>>() { }),
                    PostcardVectorTest::stringToU32)));

    /** What each invalid case's message must say, keyed by the vector's {@code why}. */
    private static final Map<String, String> EXPECTED_MESSAGES = Map.of(
            "value over 32 bits", "varint for u32 exceeds 32 bits at offset 0",
            "varint longer than 5 bytes", "varint for u32 longer than 5 bytes at offset 0",
            "empty input", "empty input for u8 at offset 0",
            "length 5 past the end", "string length 5 exceeds remaining 3 bytes at offset 1",
            "invalid UTF-8", "string of 2 bytes is not valid UTF-8",
            "bool other than 0 or 1", "bool must be 0 or 1, found 2 at offset 0",
            "option tag other than 0 or 1", "option tag must be 0 or 1, found 2 at offset 0",
            "length claims 4 GiB with 1 byte left", "byte vector length 4294967295 exceeds remaining 1 bytes",
            "unknown variant index", "unknown variant index 3 for Color (3 variants) at offset 0",
            "trailing byte after the value", "1 trailing byte(s) after the value at offset 1");

    @TestFactory
    Stream<DynamicTest> validValuesEncodeToTheirBytes() {
        return cases("valid").map(vector -> DynamicTest.dynamicTest(describe(vector), () -> {
            JavaType type = javaType(vector);
            Object value = type.value().apply(vector.get("value"));
            assertThat(SharedVectors.hex(Codecs.encode(type.codec(), value))).isEqualTo(vector.get("hex").textValue());
        }));
    }

    @TestFactory
    Stream<DynamicTest> validBytesDecodeToTheirValues() {
        return cases("valid").map(vector -> DynamicTest.dynamicTest(describe(vector), () -> {
            JavaType type = javaType(vector);
            Object decoded = Codecs.decode(type.codec(), SharedVectors.hex(vector.get("hex").textValue()));
            assertThat(decoded).isEqualTo(type.value().apply(vector.get("value")));
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidBytesAreRejectedWithInvalidArgument() {
        return cases("invalid").map(vector -> DynamicTest.dynamicTest(describe(vector), () -> {
            JavaType type = javaType(vector);
            String expected = EXPECTED_MESSAGES.get(vector.get("why").textValue());
            if (expected == null) {
                fail("no expected message for invalid vector why=\"" + vector.get("why").textValue() + "\"");
            }
            byte[] bytes = SharedVectors.hex(vector.get("hex").textValue());
            assertThatThrownBy(() -> Codecs.decode(type.codec(), bytes))
                    .isInstanceOfSatisfying(RapaceException.class,
                            ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageStartingWith("decode error: ")
                    .hasMessageContaining(expected);
        }));
    }

    @Test
    void everyVectorFileSectionIsNonEmpty() {
        assertThat(cases("valid")).hasSizeGreaterThan(40);
        assertThat(cases("invalid")).hasSizeGreaterThanOrEqualTo(10);
    }

    private static Stream<JsonNode> cases(String section) {
        List<JsonNode> nodes = new ArrayList<>();
        VECTORS.get(section).forEach(nodes::add);
        return nodes.stream();
    }

    private static JavaType javaType(JsonNode vector) {
        String name = vector.get("type").textValue();
        JavaType type = TYPES.get(name);
        if (type == null) {
            fail("vector type \"" + name + "\" has no Java mapping in PostcardVectorTest.TYPES: add one");
        }
        return type;
    }

    private static String describe(JsonNode vector) {
        JsonNode why = vector.get("why");
        return vector.get("type").textValue() + " " + vector.get("hex").textValue()
                + (why != null ? " (" + why.textValue() + ")" : "");
    }

    private static long checked(JsonNode node, long min, long max) {
        BigInteger value = node.bigIntegerValue();
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            fail("vector value " + value + " outside [" + min + ", " + max + "]");
        }
        return value.longValue();
    }

    private static byte u8(JsonNode node) {
        return (byte) checked(node, 0, 0xFF);
    }

    private static int u32(JsonNode node) {
        return (int) checked(node, 0, 0xFFFF_FFFFL);
    }

    private static int i32(JsonNode node) {
        return (int) checked(node, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private static long u64(JsonNode node) {
        BigInteger value = node.isTextual() ? new BigInteger(node.textValue()) : node.bigIntegerValue();
        assertThat(value.signum()).isNotNegative();
        assertThat(value.bitLength()).isLessThanOrEqualTo(64);
        return value.longValue();
    }

    private static byte[] bytes(JsonNode node) {
        byte[] bytes = new byte[node.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = u8(node.get(i));
        }
        return bytes;
    }

    private static <T> List<T> list(JsonNode node, Function<JsonNode, T> element) {
        List<T> items = new ArrayList<>();
        node.forEach(item -> items.add(element.apply(item)));
        return items;
    }

    private static Point point(JsonNode node) {
        return new Point(i32(node.get("x")), i32(node.get("y")));
    }

    private static Item item(JsonNode node) {
        JsonNode price = node.get("price");
        return new Item(u64(node.get("id")), node.get("name").textValue(), list(node.get("tags"), JsonNode::textValue),
                price.isNull() ? null : price.doubleValue());
    }

    private static Shape shape(JsonNode node) {
        assertThat(node.size()).isEqualTo(1);
        String variant = node.fieldNames().next();
        JsonNode fields = node.get(variant);
        return switch (variant) {
            case "Circle" -> new Circle(fields.get("r").doubleValue());
            case "Rect" -> new Rect(u32(fields.get("w")), u32(fields.get("h")));
            default -> fail("unknown Shape variant " + variant);
        };
    }

    private static Map<String, Integer> stringToU32(JsonNode node) {
        Map<String, Integer> map = new LinkedHashMap<>();
        node.properties().forEach(entry -> map.put(entry.getKey(), u32(entry.getValue())));
        return map;
    }
}
