package io.rapace.core.codec;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The writer's buffer management and primitive encodings. */
class PostcardWriterTest {

    private static String hex(PostcardWriter out) {
        return HexFormat.of().formatHex(out.toByteArray());
    }

    @Test
    void growsFromAnEmptyBufferAndKeepsItOnReset() {
        PostcardWriter out = new PostcardWriter(0);
        out.writeString("x".repeat(1000));
        assertThat(out.size()).isEqualTo(1002);
        byte[] grown = out.buffer();
        assertThat(grown.length).isGreaterThanOrEqualTo(1002);
        out.reset();
        assertThat(out.size()).isZero();
        out.writeI32(-1);
        assertThat(out.buffer()).isSameAs(grown);
        assertThat(hex(out)).isEqualTo("01");
    }

    @Test
    void toByteArrayIsACopyOfTheWrittenBytes() {
        PostcardWriter out = new PostcardWriter();
        out.writeBool(true);
        byte[] copy = out.toByteArray();
        copy[0] = 9;
        assertThat(hex(out)).isEqualTo("01");
        assertThat(out.buffer()[0]).isEqualTo((byte) 1);
    }

    @Test
    void varintsUseSevenBitsPerByteLeastSignificantFirst() {
        PostcardWriter out = new PostcardWriter();
        out.writeVarint(0);
        out.writeVarint(127);
        out.writeVarint(128);
        out.writeVarint(16_383);
        out.writeVarint(16_384);
        out.writeVarint(-1L);
        assertThat(hex(out)).isEqualTo("00" + "7f" + "8001" + "ff7f" + "808001" + "ffffffffffffffffff01");
    }

    @Test
    void floatsAreLittleEndianIeee() {
        PostcardWriter out = new PostcardWriter();
        out.writeF32(1.5f);
        out.writeF64(-0.1);
        assertThat(hex(out)).isEqualTo("0000c03f" + "9a9999999999b9bf");
    }

    @Test
    void multiByteCharsAndSupplementaryCodePointsAreUtf8() {
        PostcardWriter out = new PostcardWriter();
        out.writeString("\u00e9\u2713\ud83d\ude00");
        assertThat(hex(out)).isEqualTo("09" + "c3a9" + "e29c93" + "f09f9880");
        out.reset();
        out.writeChar('\u07ff');
        out.writeChar('\u0800');
        assertThat(hex(out)).isEqualTo("02dfbf" + "03e0a080");
    }

    @Test
    void rejectsNegativeSizes() {
        assertThatIllegalArgumentException().isThrownBy(() -> new PostcardWriter(-1))
                .withMessage("initialCapacity must not be negative: initialCapacity=-1");
        assertThatIllegalArgumentException().isThrownBy(() -> new PostcardWriter().writeLength(-2))
                .withMessage("length must not be negative: length=-2");
    }
}
