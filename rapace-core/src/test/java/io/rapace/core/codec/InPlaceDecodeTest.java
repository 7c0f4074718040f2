package io.rapace.core.codec;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;

import io.rapace.core.RapaceException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Decoding where the payload lies ({@link Codecs#decode(PostcardCodec, MemorySegment)}) is decoding a copy. */
class InPlaceDecodeTest {

    @Property(tries = 300)
    void byteVectorsDecodeInPlaceAsFromACopy(@ForAll byte[] value) {
        PostcardCodec<byte[]> codec = Codecs.of(byte[].class);
        byte[] encoded = Codecs.encode(codec, value);

        assertThat(Codecs.decode(codec, MemorySegment.ofArray(encoded))).isEqualTo(value);
    }

    @Test
    void malformedByteVectorsFailExactlyAsFromACopy() {
        PostcardCodec<byte[]> codec = Codecs.of(byte[].class);
        for (String hex : List.of("", "03aabb", "02aabbcc", "ffffffffffffffffffff01", "80", "ff")) {
            byte[] bytes = HexFormat.of().parseHex(hex);
            RapaceException fromCopy = catchThrowableOfType(RapaceException.class, () -> Codecs.decode(codec, bytes));
            RapaceException inPlace = catchThrowableOfType(RapaceException.class,
                    () -> Codecs.decode(codec, MemorySegment.ofArray(bytes)));
            assertThat(inPlace).as(hex).isNotNull();
            assertThat(inPlace.getMessage()).as(hex).isEqualTo(fromCopy.getMessage());
            assertThat(inPlace.errorCode()).isEqualTo(fromCopy.errorCode());
        }
    }

    @Test
    void nonCanonicalLengthsAreLeftToTheStrictDecoder() {
        PostcardCodec<byte[]> codec = Codecs.of(byte[].class);
        byte[] overLong = HexFormat.of().parseHex("8000");  // 0 in two bytes
        assertThat(ByteVecs.copyOut(MemorySegment.ofArray(overLong))).isNull();
        assertThat(Codecs.decode(codec, MemorySegment.ofArray(overLong))).isEqualTo(Codecs.decode(codec, overLong));
    }

    @Test
    void otherTypesDecodeFromTheSegmentToo() {
        PostcardCodec<List<String>> codec = Codecs.of(new TypeRef<List<String>>() { });
        byte[] encoded = Codecs.encode(codec, List.of("a", "bc"));

        assertThat(Codecs.decode(codec, MemorySegment.ofArray(encoded))).containsExactly("a", "bc");
    }
}
