package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import io.rapace.transport.shm.layout.SlotMetaLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assertions;

/**
 * A hostile host scribbles on ring A→B of a real mapped segment: random {@code visible_head}, {@code tail},
 * wake words, ring capacity word, descriptors and slot metadata, before the plugin opens and between its
 * polls. The plugin's consumer never reads past a head it accepted, accepts a head only within
 * {@code [tail, tail + capacity]}, consumes exactly what such a head publishes (each descriptor a frame or a
 * counted defect), fails with the documented protocol-violation {@link ShmException} otherwise (consuming
 * nothing), throws nothing else (no access outside the mapping), and every try ends within a bound.
 */
class HostileRingProperties {

    private static final int CAPACITY = 8;
    private static final int SLOT_SIZE = 64;
    private static final int SLOT_COUNT = 4;

    @Property(tries = 200)
    void consumerAcceptsOnlySaneHeadsAndConsumesExactlyWhatTheyPublish(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 12) int steps) throws IOException {
        Path file = Files.createTempFile("rapace-hostile-ring", ".shm");
        Files.delete(file);
        // The consumer reports each defect it meets: captured, not printed, and checked to be nothing else.
        try (LogCapture log = LogCapture.of(FrameReceiver.class).start()) {
            Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(file, new SplittableRandom(seed),
                    steps));
            assertThat(log.messages()).allMatch((message) -> message.startsWith("dropped invalid descriptor")
                    || message.startsWith("protocol violation by the peer"));
        }
        finally {
            Files.deleteIfExists(file);
        }
    }

    private static void run(Path file, SplittableRandom random, int steps) {
        try (ShmTransport host = ShmTransport.create(file, new ShmConfig(CAPACITY, SLOT_SIZE, SLOT_COUNT),
                ShmOptions.defaults())) {
            Scribbler hostile = new Scribbler(host, random);
            long tail = hostile.scribbleHeader(true);  // the tail the plugin resumes from
            long head = hostile.head();
            try (ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
                for (int step = 0; step < steps; step++) {
                    hostile.scribbleDescriptors();
                    hostile.scribbleSlots();
                    if (random.nextInt(3) == 0) {
                        hostile.scribbleHeader(false);
                    }
                    if (random.nextInt(5) == 0) {
                        hostile.setTailWord(random.nextLong());  // the consumer's own word: it keeps its own copy
                    }
                    if (random.nextInt(2) == 0) {
                        hostile.setHead(tail + randomAdvance(random));
                    }
                    head = hostile.head();
                    long published = head - tail;
                    long invalidBefore = plugin.stats().invalidFrames();
                    int[] frames = new int[1];
                    FrameHandler handler = frame -> {
                        frames[0]++;
                        byte[] bytes = frame.payloadBytes();
                        assertThat(bytes.length).isLessThanOrEqualTo(SLOT_SIZE);
                    };
                    if (Long.compareUnsigned(published, CAPACITY) > 0) {
                        assertThatThrownBy(() -> plugin.poll(handler, CAPACITY + 1))
                                .isExactlyInstanceOf(ShmException.class).hasMessageContaining("protocol violation")
                                .hasMessageContaining("visible_head=" + Long.toUnsignedString(head));
                        assertThatThrownBy(() -> plugin.receive(handler, CAPACITY + 1, 1_000_000))
                                .isExactlyInstanceOf(ShmException.class);
                        assertThat(frames[0]).isZero();
                        assertThat(plugin.stats().invalidFrames()).isEqualTo(invalidBefore);
                    }
                    else {
                        int delivered = plugin.poll(handler, CAPACITY + 1);
                        assertThat(delivered).isEqualTo(frames[0]);
                        assertThat(delivered + plugin.stats().invalidFrames() - invalidBefore)
                                .as("consumed exactly the %d descriptors published", published).isEqualTo(published);
                        tail = head;
                        if (published > 0) {
                            // The tail goes back at the next look at the ring (RingConsumer), here one that finds it empty.
                            assertThat(plugin.poll(handler, CAPACITY + 1)).isZero();
                            assertThat(hostile.tailWord()).as("tail written back").isEqualTo(tail);
                        }
                    }
                }
            }
        }
    }

    /** Where the hostile head goes, relative to the consumer's tail: mostly sane, often just out of range. */
    private static long randomAdvance(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0, 1, 2 -> random.nextInt(CAPACITY + 1);
            case 3 -> CAPACITY + 1 + random.nextInt(3);
            case 4 -> -1 - random.nextInt(3);
            case 5 -> random.nextLong();
            case 6 -> Long.MIN_VALUE + random.nextInt(3);
            default -> Long.MAX_VALUE - random.nextInt(3);
        };
    }

    /** Writes random values where the host (peer A) could, in ring A→B and the slot metadata. */
    private static final class Scribbler {

        private final ShmTransport host;
        private final ShmLayout layout;
        private final SplittableRandom random;
        private final RawRingWriter raw;

        Scribbler(ShmTransport host, SplittableRandom random) {
            this.host = host;
            this.layout = host.config().layout();
            this.random = random;
            this.raw = new RawRingWriter(host.segment(), layout);
        }

        /**
         * Random head and wake words; with {@code tail} (before the open), a random tail too, else sometimes a
         * random capacity word. Returns the tail word.
         */
        long scribbleHeader(boolean tail) {
            long header = layout.ringAToBHeader();
            long base = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextLong();
                case 2 -> Long.MAX_VALUE - random.nextInt(CAPACITY);
                default -> -1L - random.nextInt(CAPACITY);
            };
            if (tail) {
                Mem.putLongRelease(host.segment(), header + RingLayout.TAIL_OFFSET, base);
            }
            long current = tailWord();
            raw.setVisibleHead(current + randomAdvance(random));
            if (random.nextBoolean()) {
                Mem.putInt(host.segment(), header + RingLayout.WAKE_SEQ_OFFSET, random.nextInt());
                Mem.putInt(host.segment(), header + RingLayout.CONSUMER_WAITING_OFFSET, random.nextInt(3));
            }
            if (!tail && random.nextInt(4) == 0) {
                // After the open only: an opener checks this word (a bad one is refused as INVALID_GEOMETRY).
                Mem.putInt(host.segment(), header + RingLayout.CAPACITY_OFFSET, random.nextInt());
            }
            return current;
        }

        void scribbleDescriptors() {
            for (int i = 0; i < CAPACITY; i++) {
                if (random.nextBoolean()) {
                    byte[] bytes = new byte[DescriptorLayout.LENGTH];
                    random.nextBytes(bytes);
                    if (random.nextBoolean()) {
                        // Often a plausible slot or inline reference, so that valid frames occur too.
                        int slot = random.nextBoolean() ? DescriptorLayout.INLINE_SLOT : random.nextInt(SLOT_COUNT);
                        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                .putInt(DescriptorLayout.PAYLOAD_SLOT_OFFSET, slot)
                                .putInt(DescriptorLayout.PAYLOAD_GENERATION_OFFSET, random.nextInt(3))
                                .putInt(DescriptorLayout.PAYLOAD_OFFSET_OFFSET, random.nextInt(SLOT_SIZE))
                                .putInt(DescriptorLayout.PAYLOAD_LEN_OFFSET, random.nextInt(SLOT_SIZE));
                    }
                    Descriptor.decode(bytes).writeTo(host.segment(), layout.ringAToBDescriptors()
                            + (long) i * DescriptorLayout.LENGTH);
                }
            }
        }

        void scribbleSlots() {
            for (int slot = 0; slot < SLOT_COUNT; slot++) {
                if (random.nextBoolean()) {
                    int state = random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(3);
                    raw.setSlot(slot, random.nextInt(3), state == 3 ? SlotMetaLayout.IN_FLIGHT : state);
                }
            }
        }

        void setTailWord(long tail) {
            Mem.putLongRelease(host.segment(), layout.ringAToBHeader() + RingLayout.TAIL_OFFSET, tail);
        }

        void setHead(long head) {
            raw.setVisibleHead(head);
        }

        long head() {
            return raw.visibleHead();
        }

        long tailWord() {
            return Mem.getLongAcquire(host.segment(), layout.ringAToBHeader() + RingLayout.TAIL_OFFSET);
        }
    }
}
