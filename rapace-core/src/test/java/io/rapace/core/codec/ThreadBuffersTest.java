package io.rapace.core.codec;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.core.RapaceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A platform thread decodes through its reusable reader ({@link Codecs#decode(PostcardCodec, byte[])}): nothing per
 * decode but the value, a decode nested in another gets a reader of its own, and a failed decode gives the reader
 * back.
 */
class ThreadBuffersTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static final PostcardCodec<Integer> I32 = Codecs.of(Integer.class);

    static final PostcardCodec<Long> I64 = Codecs.of(Long.class);

    static final PostcardCodec<Boolean> BOOL = Codecs.of(Boolean.class);

    /** Decodes of values that allocate nothing themselves (cached boxes), 3 codecs as a session's call site sees. */
    static final int DECODES = 30_000;

    /**
     * Per decode, with 8 to spare: a reader made per decode (40 bytes; the call site into the codec sees several
     * codecs, so escape analysis cannot remove it) breaks it.
     */
    static final long BUDGET_BYTES_PER_DECODE = 8;

    @Test
    void aPlatformThreadDecodesWithoutAReaderPerValue() {
        byte[] small = Codecs.encode(I32, 7);
        byte[] smallLong = Codecs.encode(I64, 9L);
        byte[] yes = Codecs.encode(BOOL, true);
        decodeRepeatedly(small, smallLong, yes);
        long self = Thread.currentThread().threadId();
        long before = THREADS.getThreadAllocatedBytes(self);
        decodeRepeatedly(small, smallLong, yes);
        long perDecode = (THREADS.getThreadAllocatedBytes(self) - before) / (3L * DECODES);

        assertThat(perDecode).as("bytes allocated per decode on a platform thread").isLessThanOrEqualTo(BUDGET_BYTES_PER_DECODE);
    }

    /** The bytes a {@link Nesting} decodes while it is itself being decoded. */
    static final byte[] INNER = Codecs.encode(I32, 41);

    /** What the last {@link Nesting} decoded from {@link #INNER}. */
    static final AtomicReference<Integer> NESTED = new AtomicReference<>();

    /** A record whose constructor decodes too, in the middle of its own decode (its fields are read first). */
    public record Nesting(int first, boolean flag) {

        /** Decodes {@link #INNER}. */
        public Nesting {
            NESTED.set(Codecs.decode(I32, INNER));
        }
    }

    /** A pair whose second element is read after the first's constructor decoded on the same thread. */
    public record Pair(Nesting nesting, int after) {
    }

    @Test
    void aDecodeNestedInAnotherReadsItsOwnBytes() {
        Pair pair = new Pair(new Nesting(1, true), 77);
        byte[] bytes = Codecs.encode(Codecs.of(Pair.class), pair);

        assertThat(Codecs.decode(Codecs.of(Pair.class), bytes)).as("the outer decode reads on after the nested one")
                .isEqualTo(pair);
        assertThat(NESTED.get()).isEqualTo(41);
        assertThat(Codecs.decode(I32, INNER)).as("the thread's reader is free again").isEqualTo(41);
    }

    @Test
    void aFailedDecodeGivesTheReaderBack() {
        assertThatThrownBy(() -> Codecs.decode(I32, new byte[] {(byte) 0x80})).isInstanceOf(RapaceException.class);
        assertThatThrownBy(() -> Codecs.decode(I32, new byte[] {2, 3})).isInstanceOf(RapaceException.class)
                .hasMessageContaining("trailing");

        assertThat(Codecs.decode(I32, Codecs.encode(I32, -5))).isEqualTo(-5);
        assertThat(Codecs.decode(I32, new byte[] {9, 2, 9}, 1, 1)).as("a range of a larger array").isEqualTo(1);
    }

    @Test
    void aVirtualThreadDecodesToo() throws Exception {
        AtomicReference<Object> decoded = new AtomicReference<>();
        Thread.ofVirtual().start(() -> decoded.set(Codecs.decode(I64, Codecs.encode(I64, 1L << 40)))).join();

        assertThat(decoded.get()).isEqualTo(1L << 40);
    }

    private static void decodeRepeatedly(byte[] small, byte[] smallLong, byte[] yes) {
        for (int i = 0; i < DECODES; i++) {
            if (Codecs.decode(I32, small) != 7 || Codecs.decode(I64, smallLong) != 9L || !Codecs.decode(BOOL, yes)) {
                throw new AssertionError("unexpected value");
            }
        }
    }
}
