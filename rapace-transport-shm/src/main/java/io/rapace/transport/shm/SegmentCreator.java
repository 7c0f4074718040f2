package io.rapace.transport.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

import io.rapace.transport.shm.layout.DataSegmentLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.SegmentLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import io.rapace.transport.shm.layout.SlotMetaLayout;

/**
 * The host side of a segment's birth: create a new file (never truncate or follow a link; mode 0600 from
 * the start), take the host lock, size it, map it and initialise every header, writing the magic last with
 * release so an opener never takes a half-written segment for a valid one. An abandoned segment of ours at
 * the path is unlinked first ({@link ExistingSegment}), so the new segment is always a new inode.
 */
final class SegmentCreator {

    /** Creating again after unlinking an abandoned file; more means someone keeps re-creating the path. */
    private static final int CREATE_ATTEMPTS = 3;

    private SegmentCreator() {
    }

    static MappedSegment create(Path path, ShmConfig config, int flags) {
        ShmLayout layout = config.layout();
        long size = layout.totalSize();
        SegmentFile file = claim(path);
        Arena arena = Arena.ofShared();
        try {
            FileChannel channel = file.channel();
            // Writing the last byte sets the length; the file is zero-filled (sparse where the OS allows).
            channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            initialise(segment, layout, flags);
            return new MappedSegment(arena, segment, layout, file);
        }
        catch (IOException | RuntimeException ex) {
            arena.close();
            deleteOwnFile(file);
            throw new ShmOpenException(ShmOpenException.Reason.IO, path,
                    "cannot create a segment of " + size + " bytes (" + config.describe() + "): " + ex, ex);
        }
    }

    /** Creates the file with the host lock held, after unlinking an abandoned segment of ours at the path. */
    private static SegmentFile claim(Path path) {
        for (int attempt = 1; ; attempt++) {
            try {
                SegmentFile file = SegmentChannels.createNew(path);
                if (!file.tryLock(PeerRole.HOST)) {
                    deleteOwnFile(file);
                    throw new ShmOpenException(ShmOpenException.Reason.IN_USE, path,
                            "another process locked the segment this host had just created");
                }
                return file;
            }
            catch (FileAlreadyExistsException ex) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw new ShmOpenException(ShmOpenException.Reason.IO, path, "the path was created again by"
                            + " someone else each of the " + CREATE_ATTEMPTS + " times this host removed it", ex);
                }
                try {
                    ExistingSegment.removeIfAbandoned(path);
                }
                catch (IOException io) {
                    throw new ShmOpenException(ShmOpenException.Reason.IO, path,
                            "cannot examine the file already at the segment path: " + io, io);
                }
            }
            catch (IOException ex) {
                throw new ShmOpenException(ShmOpenException.Reason.IO, path, "cannot create the segment file: " + ex,
                        ex);
            }
        }
    }

    /** On a failed creation: unlink the file this host made (if the path still names it) and let it go. */
    private static void deleteOwnFile(SegmentFile file) {
        try {
            file.deleteIfSameFile();
        }
        catch (IOException ex) {
            System.getLogger(SegmentCreator.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete the segment file " + file.path() + " after a failed creation", ex);
        }
        finally {
            file.release();
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
