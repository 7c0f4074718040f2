package io.rapace.core.codec;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.CodecBehaviourTest.Expr;
import io.rapace.core.codec.CodecRoundTripProperties.Tree;
import io.rapace.core.codec.VectorTypes.Item;
import io.rapace.core.codec.VectorTypes.Point;
import io.rapace.core.codec.VectorTypes.Shape;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random and corrupted bytes fed to decoders: the only failure is RapaceException(INVALID_ARGUMENT, "decode
 * error: ..."), and decoding never allocates much more than the input justifies.
 */
class HostileInputProperties {

    /** Generous bound on what one decode of a short hostile input may allocate (exception stack traces included). */
    private static final long ALLOCATION_BOUND = 1024 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final Map<String, PostcardCodec<?>> DECODERS = decoders();

    private static Map<String, PostcardCodec<?>> decoders() {
        Map<String, PostcardCodec<?>> decoders = new LinkedHashMap<>();
        decoders.put("Item", Codecs.of(Item.class));
        decoders.put("Shape", Codecs.of(Shape.class));
        decoders.put("Tree", Codecs.of(Tree.class));
        decoders.put("Expr", Codecs.of(Expr.class));
        decoders.put("Everything", Codecs.of(CodecRoundTripProperties.Everything.class));
        decoders.put("Map<String, List<u32>>", Codecs.of(new TypeRef<Map<String, List<@Unsigned Integer>>>() { }));
        decoders.put("Set<i64>", Codecs.of(new TypeRef<Set<Long>>() { }));
        decoders.put("Vec<Point>", Codecs.of(new TypeRef<List<Point>>() { }));
        decoders.put("Vec<Vec<u8>>", Codecs.of(new TypeRef<List<byte[]>>() { }));
        decoders.put("Option<Item>", Codecs.of(new TypeRef<Optional<Item>>() { }));
        decoders.put("Option<u64>", Codecs.of(new TypeRef<@Nullable @Unsigned Long>() { }));
        decoders.put("[u8; 8]", Codecs.of(new TypeRef<byte @FixedLength(8) []>() { }));
        decoders.put("String", Codecs.of(String.class));
        decoders.put("char", Codecs.of(char.class));
        decoders.put("u16", Codecs.of(new TypeRef<@Unsigned Short>() { }));
        decoders.put("(String, u32, bool)", Codecs.tuple(List.of(Codecs.of(String.class),
                Codecs.of(new TypeRef<@Unsigned Integer>() { }), Codecs.of(boolean.class))));
        return decoders;
    }

    @Property(tries = 3000)
    void randomBytesFailOnlyWithInvalidArgument(@ForAll("decoderNames") String decoder,
            @ForAll @Size(max = 48) byte[] bytes) {
        decodeExpectingOnlyInvalidArgument(DECODERS.get(decoder), bytes);
    }

    @Property(tries = 2000)
    void corruptedEncodingsFailOnlyWithInvalidArgument(@ForAll("items") Item item, @ForAll int position,
            @ForAll byte replacement, @ForAll int cut) {
        byte[] valid = Codecs.encode(Codecs.of(Item.class), item);
        byte[] corrupted = valid.clone();
        corrupted[Math.floorMod(position, corrupted.length)] = replacement;
        decodeExpectingOnlyInvalidArgument(Codecs.of(Item.class), corrupted);
        byte[] truncated = java.util.Arrays.copyOf(valid, Math.floorMod(cut, valid.length));
        decodeExpectingOnlyInvalidArgument(Codecs.of(Item.class), truncated);
    }

    @Test
    void hugeLengthClaimsAllocateNothingBig() {
        String[] claims = { "ffffffff0f", "ffffffffffffffffff01", "80808080", "ffffff7f" };
        for (Map.Entry<String, PostcardCodec<?>> decoder : DECODERS.entrySet()) {
            for (String claim : claims) {
                byte[] bytes = java.util.HexFormat.of().parseHex(claim + "0001");
                decodeExpectingOnlyInvalidArgument(decoder.getValue(), bytes);
                long allocated = allocatedBy(decoder.getValue(), bytes);
                assertThat(allocated).as("bytes allocated decoding %s from %s", decoder.getKey(), claim)
                        .isLessThan(ALLOCATION_BOUND);
            }
        }
    }

    @Test
    void allocationMeasurementSeesALegitimateLargeValue() {
        PostcardCodec<byte[]> bytes = Codecs.of(byte[].class);
        byte[] encoded = Codecs.encode(bytes, new byte[2 * (int) ALLOCATION_BOUND]);
        assertThat(allocatedBy(bytes, encoded)).isGreaterThanOrEqualTo(2 * ALLOCATION_BOUND);
    }

    @Property(tries = 500)
    void randomBytesAllocateLittle(@ForAll("decoderNames") String decoder, @ForAll @Size(max = 48) byte[] bytes) {
        PostcardCodec<?> codec = DECODERS.get(decoder);
        decodeExpectingOnlyInvalidArgument(codec, bytes);
        assertThat(allocatedBy(codec, bytes)).isLessThan(ALLOCATION_BOUND);
    }

    @Provide
    Arbitrary<String> decoderNames() {
        return Arbitraries.of(DECODERS.keySet());
    }

    @Provide
    Arbitrary<Item> items() {
        return new CodecRoundTripProperties().items();
    }

    private static long allocatedBy(PostcardCodec<?> codec, byte[] bytes) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            Codecs.decode(codec, bytes);
        }
        catch (RapaceException expected) {
            // checked by decodeExpectingOnlyInvalidArgument
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static void decodeExpectingOnlyInvalidArgument(PostcardCodec<?> codec, byte[] bytes) {
        try {
            Codecs.decode(codec, bytes);
        }
        catch (RapaceException ex) {
            assertThat(ex.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(ex.getMessage()).startsWith("decode error: ").contains(" at offset ");
        }
        catch (Throwable ex) {
            fail("decoding " + java.util.HexFormat.of().formatHex(bytes) + " as " + codec + " threw " + ex, ex);
        }
    }
}
