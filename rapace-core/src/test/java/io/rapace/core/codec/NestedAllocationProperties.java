package io.rapace.core.codec;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.CodecBehaviourTest.Empty;
import io.rapace.core.codec.CodecRoundTripProperties.Tree;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Hostile inputs of up to a few KiB, built from length claims (small, at the limits, huge), zero bytes and
 * repeated patterns, decoded as nested sequence, set, map and option types (spec §6): the only failure is
 * {@code RapaceException(INVALID_ARGUMENT, "decode error: ...")}, and one decode of {@code n} bytes allocates at
 * most {@link #BYTES_PER_INPUT_BYTE}{@code  * n +} {@link #CONSTANT} bytes, whatever the nesting.
 */
class NestedAllocationProperties {

    /** Allocation allowed per input byte: a 1-byte element becomes an object, a reference and a hash entry. */
    private static final long BYTES_PER_INPUT_BYTE = 128;

    /**
     * Allocation allowed on top: {@link PostcardReader#MAX_ZERO_SIZED_ELEMENTS} zero-sized elements cost no input
     * (an object and a reference each), plus exception stack traces.
     */
    private static final long CONSTANT = 8L * 1024 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    record Wide(Empty a, Empty b, Empty c, Empty d) {
    }

    private static final Map<String, PostcardCodec<?>> DECODERS = decoders();

    private static Map<String, PostcardCodec<?>> decoders() {
        Map<String, PostcardCodec<?>> decoders = new LinkedHashMap<>();
        decoders.put("Vec<Vec<Empty>>", Codecs.of(new TypeRef<List<List<Empty>>>() { }));
        decoders.put("Vec<Vec<Vec<Empty>>>", Codecs.of(new TypeRef<List<List<List<Empty>>>>() { }));
        decoders.put("Vec<Vec<Wide>>", Codecs.of(new TypeRef<List<List<Wide>>>() { }));
        decoders.put("Vec<HashSet<Empty>>", Codecs.of(new TypeRef<List<Set<Empty>>>() { }));
        decoders.put("Vec<Option<Vec<Empty>>>", Codecs.of(new TypeRef<List<Optional<List<Empty>>>>() { }));
        decoders.put("HashMap<String, Vec<Empty>>", Codecs.of(new TypeRef<Map<String, List<Empty>>>() { }));
        decoders.put("Vec<HashMap<Empty, Empty>>", Codecs.of(new TypeRef<List<Map<Empty, Empty>>>() { }));
        decoders.put("Vec<Vec<bool>>", Codecs.of(new TypeRef<List<List<Boolean>>>() { }));
        decoders.put("Vec<Vec<String>>", Codecs.of(new TypeRef<List<List<String>>>() { }));
        decoders.put("Vec<HashSet<i64>>", Codecs.of(new TypeRef<List<Set<Long>>>() { }));
        decoders.put("Vec<Vec<u8>>", Codecs.of(new TypeRef<List<byte[]>>() { }));
        decoders.put("Tree", Codecs.of(Tree.class));
        decoders.put("Vec<Tree>", Codecs.of(new TypeRef<List<Tree>>() { }));
        return decoders;
    }

    @Property(tries = 400)
    void hostileNestedInputsFailOnlyWithInvalidArgumentAndAllocateInProportionToTheirLength(
            @ForAll("decoderNames") String decoder, @ForAll("hostileInputs") byte[] bytes) {
        PostcardCodec<?> codec = DECODERS.get(decoder);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            Codecs.decode(codec, bytes);
        }
        catch (RapaceException ex) {
            assertThat(ex.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(ex.getMessage()).startsWith("decode error: ").contains(" at offset ");
        }
        catch (Throwable ex) {
            fail("decoding " + bytes.length + " bytes as " + decoder + " threw " + ex, ex);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated decoding %d bytes as %s", bytes.length, decoder)
                .isLessThanOrEqualTo(BYTES_PER_INPUT_BYTE * bytes.length + CONSTANT);
    }

    @Provide
    Arbitrary<String> decoderNames() {
        return Arbitraries.of(DECODERS.keySet());
    }

    /**
     * An outer count, a few tokens, then a pattern of tokens repeated: nested length claims that each look
     * plausible (such as 1,000 inner sequences that each claim 65,536 zero-sized elements).
     */
    @Provide
    Arbitrary<byte[]> hostileInputs() {
        Arbitrary<byte[]> claim = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(0, 3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 300)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(65_535L, 65_536L, 65_537L, 32_768L, 0xFFFF_FFFFL,
                        Long.MAX_VALUE, -1L))).map(NestedAllocationProperties::varint);
        Arbitrary<byte[]> token = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, claim),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4)));
        Arbitrary<byte[]> outer = Arbitraries.longs().between(0, 3_000).map(NestedAllocationProperties::varint);
        Arbitrary<byte[]> between = token.list().ofMaxSize(2).map(NestedAllocationProperties::concat);
        Arbitrary<List<byte[]>> pattern = token.list().ofMinSize(1).ofMaxSize(4);
        return net.jqwik.api.Combinators.combine(outer, between, pattern, Arbitraries.integers().between(1, 1_500))
                .as((count, head, tokens, repeats) -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.writeBytes(count);
                    out.writeBytes(head);
                    byte[] unit = concat(tokens);
                    for (int i = 0; i < repeats && out.size() + unit.length <= 6_000; i++) {
                        out.writeBytes(unit);
                    }
                    return out.toByteArray();
                });
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] varint(long value) {
        PostcardWriter writer = new PostcardWriter();
        writer.writeU64(value);
        return writer.toByteArray();
    }
}
