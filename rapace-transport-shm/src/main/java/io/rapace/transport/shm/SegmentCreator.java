package io.rapace.transport.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.rapace.transport.shm.layout.DataSegmentLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.SegmentLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import io.rapace.transport.shm.layout.SlotMetaLayout;

/**
 * The host side of a segment's birth: create/truncate the file, size it, map it and initialise every
 * header, writing the magic last with release so an opener never takes a half-written segment for a
 * valid one.
 */
final class SegmentCreator {

    private SegmentCreator() {
    }

    static MappedSegment create(Path path, ShmConfig config, int flags) {
        ShmLayout layout = config.layout();
        long size = layout.totalSize();
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            // Writing the last byte sets the length; the file is zero-filled (sparse where the OS allows).
            channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            initialise(segment, layout, flags);
            return new MappedSegment(arena, segment, layout);
        }
        catch (IOException | RuntimeException ex) {
            arena.close();
            throw new ShmOpenException(ShmOpenException.Reason.IO, path,
                    "cannot create a segment of " + size + " bytes (" + config.describe() + "): " + ex, ex);
        }
    }

    /** Writes every header of a zero-filled segment with flags 0 (v1.0, no extension); the magic goes last. */
    static void initialise(MemorySegment segment, ShmLayout layout) {
        initialise(segment, layout, 0);
    }

    /**
     * Writes every header of a zero-filled segment; the magic goes last. {@code flags} is the
     * SegmentHeader flags word: {@link SegmentLayout#FLAG_WAKE_A} when the host runs the wake extension.
     */
    static void initialise(MemorySegment segment, ShmLayout layout, int flags) {
        segment.asSlice(0, layout.slotData()).fill((byte) 0);
        initialiseRing(segment, layout.ringAToBHeader(), layout.ringCapacity());
        initialiseRing(segment, layout.ringBToAHeader(), layout.ringCapacity());
        long data = layout.dataHeader();
        Mem.putInt(segment, data + DataSegmentLayout.SLOT_SIZE_OFFSET, layout.slotSize());
        Mem.putInt(segment, data + DataSegmentLayout.SLOT_COUNT_OFFSET, layout.slotCount());
        Mem.putInt(segment, data + DataSegmentLayout.MAX_FRAME_SIZE_OFFSET, layout.slotSize());
        Mem.putLong(segment, data + DataSegmentLayout.FREE_HEAD_OFFSET, 0L);
        for (int i = 0; i < layout.slotCount(); i++) {
            Mem.putInt(segment, layout.slotMeta(i) + SlotMetaLayout.GENERATION_OFFSET, 0);
            Mem.putInt(segment, layout.slotMeta(i) + SlotMetaLayout.STATE_OFFSET, SlotMetaLayout.FREE);
        }
        Mem.putInt(segment, SegmentLayout.VERSION_OFFSET, SegmentLayout.VERSION);
        Mem.putInt(segment, SegmentLayout.FLAGS_OFFSET, flags);
        // release: every header above is visible to whoever reads this magic with acquire.
        Mem.putLongRelease(segment, SegmentLayout.MAGIC_OFFSET, SegmentLayout.MAGIC);
    }

    private static void initialiseRing(MemorySegment segment, long header, int capacity) {
        Mem.putLong(segment, header + RingLayout.VISIBLE_HEAD_OFFSET, 0L);
        Mem.putLong(segment, header + RingLayout.TAIL_OFFSET, 0L);
        Mem.putInt(segment, header + RingLayout.CAPACITY_OFFSET, capacity);
    }
}
