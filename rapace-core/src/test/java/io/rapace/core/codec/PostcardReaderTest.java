package io.rapace.core.codec;

import java.util.HexFormat;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import org.junit.jupiter.api.Test;

import static io.rapace.core.codec.DecodeErrors.assertDecodeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reader's cursor, bounds checks and error messages. */
class PostcardReaderTest {

    private static PostcardReader reader(String hex) {
        return new PostcardReader(HexFormat.of().parseHex(hex));
    }

    @Test
    void tracksPositionAndRemainingWithinItsRange() {
        byte[] bytes = HexFormat.of().parseHex("ff" + "02" + "0568656c6c6f" + "ff");
        PostcardReader in = new PostcardReader(bytes, 1, 7);
        assertThat(in.readI32()).isEqualTo(1);
        assertThat(in.position()).isEqualTo(1);
        assertThat(in.remaining()).isEqualTo(6);
        assertThat(in.readString()).isEqualTo("hello");
        in.expectEnd();
        assertDecodeError(in::readByte, "empty input for u8 at offset 7");
    }

    @Test
    void theEndIsReachedOnlyOnceExpectEndPassedAndAgainAfterEachReset() {
        byte[] bytes = HexFormat.of().parseHex("02" + "04");
        PostcardReader in = new PostcardReader(bytes);
        assertThat(in.readI32()).isEqualTo(1);
        assertThat(in.endReached()).as("a byte is left").isFalse();
        assertDecodeError(in::expectEnd, "1 trailing byte(s) after the value at offset 1");
        assertThat(in.endReached()).as("after a failed check").isFalse();
        assertThat(in.readI32()).isEqualTo(2);
        in.expectEnd();
        assertThat(in.endReached()).isTrue();
        in.reset(0, 1);
        assertThat(in.endReached()).as("after a reset").isFalse();
        in.resetOver(bytes, 1, 1);
        assertThat(in.endReached()).as("over other bytes").isFalse();
    }

    @Test
    void resetReadsAnotherRangeOfTheSameArrayAsANewReaderWould() {
        byte[] bytes = HexFormat.of().parseHex("0568656c6c6f" + "04");
        PostcardReader in = new PostcardReader(bytes);
        assertThat(in.readString()).isEqualTo("hello");
        in.reset(0, 6);
        assertThat(in.position()).isZero();
        assertThat(in.remaining()).isEqualTo(6);
        assertThat(in.readString()).isEqualTo("hello");
        in.expectEnd();

        in.reset(6, 1);
        assertThat(in.readI32()).isEqualTo(2);
        assertThat(in.position()).as("counted from the new start").isEqualTo(1);
        in.expectEnd();
        assertDecodeError(in::readByte, "empty input for u8 at offset 1");
        assertThatThrownBy(() -> in.reset(6, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void resetGivesBackTheZeroSizedBudget() {
        byte[] bytes = HexFormat.of().parseHex("808004");  // 65,536: the whole budget
        PostcardReader in = new PostcardReader(bytes);
        assertThat(in.readLength("Vec<()>", 0)).isEqualTo(65_536);
        in.reset(0, 3);
        assertThat(in.readLength("Vec<()>", 0)).as("a second value read after reset").isEqualTo(65_536);
    }

    @Test
    void rejectsARangeOutsideTheArray() {
        assertThatThrownBy(() -> new PostcardReader(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void reportsShortFloats() {
        assertDecodeError(() -> reader("000000").readF32(), "f32 needs 4 bytes but 3 remain at offset 0");
        assertDecodeError(() -> reader("").readF64(), "empty input for f64 at offset 0");
    }

    @Test
    void readsVariantIndicesBelowTheCount() {
        assertThat(reader("02").readVariantIndex("Color", 3)).isEqualTo(2);
        assertDecodeError(() -> reader("8001").readVariantIndex("Color", 3),
                "unknown variant index 128 for Color (3 variants) at offset 0");
        assertDecodeError(() -> reader("ffffffffff01").readVariantIndex("Color", 3),
                "varint for variant index of Color longer than 5 bytes at offset 0");
    }

    @Test
    void readsOptionTagsAndBools() {
        PostcardReader in = reader("000101");
        assertThat(in.readOptionTag()).isFalse();
        assertThat(in.readOptionTag()).isTrue();
        assertThat(in.readBool()).isTrue();
        assertDecodeError(() -> reader("ff").readOptionTag(), "option tag must be 0 or 1, found 255 at offset 0");
        assertDecodeError(() -> reader("").readBool(), "empty input for bool at offset 0");
    }

    @Test
    void unsignedReadsKeepTheBits() {
        assertThat(reader("ffff03").readU16()).isEqualTo((short) -1);
        assertThat(reader("ffffffff0f").readU32()).isEqualTo(-1);
        assertThat(reader("ffffffffffffffffff01").readU64()).isEqualTo(-1L);
        assertThat(reader("ffff03").readI16()).isEqualTo(Short.MIN_VALUE);
    }

    @Test
    void errorsCarryTheCurrentOffset() {
        PostcardReader in = reader("0102");
        in.readByte();
        assertThat(in.error("custom problem")).hasMessage("decode error: custom problem at offset 1")
                .extracting(RapaceException::errorCode).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
