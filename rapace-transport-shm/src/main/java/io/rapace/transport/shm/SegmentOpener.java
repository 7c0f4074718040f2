package io.rapace.transport.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;

import io.rapace.transport.shm.ShmOpenException.Reason;
import io.rapace.transport.shm.layout.DataSegmentLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.SegmentLayout;
import io.rapace.transport.shm.layout.ShmLayout;

/**
 * The plugin side of attaching to a segment (spec §1, §8). Waits while the file is missing, shorter
 * than a header, or its magic, version or geometry fields are still zero (the host has not finished,
 * and a Rust host writes the magic first); fails at once on what waiting cannot fix: a non-zero wrong
 * magic, another major version, an impossible geometry, a file shorter than its declared geometry,
 * or a geometry other than the one the caller pinned, or a segment another plugin holds (the plugin lock,
 * docs/segment-files.md).
 */
final class SegmentOpener {

    /** First and longest pause between attempts. */
    private static final long MIN_RETRY_NANOS = 1_000_000;
    private static final long MAX_RETRY_NANOS = 50_000_000;

    private SegmentOpener() {
    }

    /** One attempt's outcome: the segment, or why it is not usable yet. */
    private sealed interface Attempt {
    }

    private record Opened(MappedSegment segment) implements Attempt {
    }

    private record Pending(Reason reason, String detail) implements Attempt {
    }

    static MappedSegment open(Path path, ShmOptions options) {
        Duration timeout = options.openTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        IdleStrategy pause = new BackoffIdleStrategy(0, 0, MIN_RETRY_NANOS, MAX_RETRY_NANOS);
        while (true) {
            Attempt attempt = attempt(path, options);
            if (attempt instanceof Opened opened) {
                return opened.segment();
            }
            Pending pending = (Pending) attempt;
            if (System.nanoTime() - deadline >= 0) {
                throw new ShmOpenException(pending.reason(), path,
                        pending.detail() + " after waiting " + timeout.toMillis() + " ms (open timeout)");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new ShmOpenException(pending.reason(), path, pending.detail() + "; interrupted while waiting");
            }
            pause.idle(0);
        }
    }

    private static Attempt attempt(Path path, ShmOptions options) {
        SegmentFile file;
        try {
            file = SegmentChannels.openExisting(path);
        }
        catch (NoSuchFileException ex) {
            return new Pending(Reason.FILE_NOT_FOUND, "file does not exist");
        }
        catch (IOException ex) {
            throw new ShmOpenException(Reason.IO, path, "cannot open the file: " + ex, ex);
        }
        boolean keep = false;
        try {
            Attempt attempt = attempt(path, file, options);
            keep = attempt instanceof Opened;
            return attempt;
        }
        finally {
            if (!keep) {
                file.release();
            }
        }
    }

    private static Attempt attempt(Path path, SegmentFile file, ShmOptions options) {
        try {
            FileChannel channel = file.channel();
            long size = channel.size();
            if (size < SegmentLayout.LENGTH) {
                return new Pending(Reason.NOT_INITIALISED, "file is " + size + " bytes, shorter than the "
                        + SegmentLayout.LENGTH + "-byte segment header");
            }
            // A read() probe first: nothing is mapped until the magic says a host wrote this file.
            long magic = file.readHeader().getLong(SegmentLayout.MAGIC_OFFSET);
            if (magic == 0) {
                return new Pending(Reason.NOT_INITIALISED, "magic is still zero");
            }
            checkMagic(path, magic);
            Arena arena = Arena.ofShared();
            boolean keep = false;
            try {
                MemorySegment mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
                Attempt attempt = readGeometry(path, arena, mapped, size, options, file);
                if (attempt instanceof Opened) {
                    lockAsPlugin(path, file);
                    keep = true;
                }
                return attempt;
            }
            finally {
                if (!keep) {
                    arena.close();
                }
            }
        }
        catch (IOException ex) {
            throw new ShmOpenException(Reason.IO, path, "cannot open or map the file: " + ex, ex);
        }
    }

    /** One plugin per segment: the plugin lock is held for the transport's life (docs/segment-files.md). */
    private static void lockAsPlugin(Path path, SegmentFile file) throws IOException {
        if (!file.tryLock(PeerRole.PLUGIN)) {
            throw new ShmOpenException(Reason.IN_USE, path, "segment " + path + " is already used by another plugin"
                    + " (a live process, or another transport of this JVM, holds the plugin lock, byte "
                    + SegmentFile.PLUGIN_LOCK_OFFSET + ")");
        }
    }

    private static Attempt readGeometry(Path path, Arena arena, MemorySegment mapped, long size, ShmOptions options,
            SegmentFile file) {
        SegmentHeaderView header = new SegmentHeaderView(mapped);
        // acquire (inside magic()): the geometry fields below are then read plain; a Java host wrote them
        // before its release of the magic, and a zero field from a magic-first host just means "wait".
        long magic = header.magic();
        checkMagic(path, magic);
        int version = header.version();
        if (version == 0) {
            return new Pending(Reason.NOT_INITIALISED, "version is still zero");
        }
        if (SegmentLayout.major(version) != SegmentLayout.VERSION_MAJOR) {
            throw new ShmOpenException(Reason.UNSUPPORTED_VERSION, path, "segment version 0x"
                    + String.format("%08x", version) + " (major " + SegmentLayout.major(version)
                    + ") but this peer speaks major " + SegmentLayout.VERSION_MAJOR);
        }
        long capacityField = ShmLayout.ringCapacityFieldOffset();
        if (size < capacityField + Integer.BYTES) {
            throw tooShort(path, size, "the ring A->B header", capacityField + Integer.BYTES);
        }
        int capacity = Mem.getInt(mapped, capacityField);
        if (capacity == 0) {
            return new Pending(Reason.NOT_INITIALISED, "ring capacity is still zero");
        }
        if (capacity < 0 || Integer.bitCount(capacity) != 1) {
            throw new ShmOpenException(Reason.INVALID_GEOMETRY, path,
                    "ring_capacity=" + Integer.toUnsignedString(capacity) + " is not a power of two");
        }
        long dataHeader = ShmLayout.dataHeaderOffset(capacity);
        if (size < dataHeader + DataSegmentLayout.LENGTH) {
            throw tooShort(path, size, "the data segment header of ring_capacity=" + capacity,
                    dataHeader + DataSegmentLayout.LENGTH);
        }
        int slotSize = Mem.getInt(mapped, dataHeader + DataSegmentLayout.SLOT_SIZE_OFFSET);
        int slotCount = Mem.getInt(mapped, dataHeader + DataSegmentLayout.SLOT_COUNT_OFFSET);
        if (slotSize == 0 || slotCount == 0) {
            return new Pending(Reason.NOT_INITIALISED, "slot_size or slot_count is still zero");
        }
        if (slotSize < 0 || slotCount < 0) {
            // u32 fields past the signed range: named as the wire has them, never as a negative Java int.
            throw new ShmOpenException(Reason.INVALID_GEOMETRY, path, "ring_capacity=" + capacity + " "
                    + wireU32("slot_size", slotSize) + " " + wireU32("slot_count", slotCount)
                    + ": slot_size and slot_count above 2147483647 make a segment far beyond the "
                    + ShmConfig.MAX_TOTAL_SIZE + "-byte maximum");
        }
        ShmConfig geometry;
        try {
            geometry = new ShmConfig(capacity, slotSize, slotCount);
        }
        catch (IllegalArgumentException ex) {
            throw new ShmOpenException(Reason.INVALID_GEOMETRY, path, "ring_capacity=" + capacity + " slot_size="
                    + slotSize + " slot_count=" + slotCount + ": " + ex.getMessage(), ex);
        }
        ShmLayout layout = geometry.layout();
        int otherCapacity = Mem.getInt(mapped, layout.ringBToAHeader() + RingLayout.CAPACITY_OFFSET);
        if (otherCapacity == 0) {
            return new Pending(Reason.NOT_INITIALISED, "ring B->A capacity is still zero");
        }
        if (otherCapacity != capacity) {
            throw new ShmOpenException(Reason.INVALID_GEOMETRY, path, "ring A->B capacity " + capacity
                    + " differs from ring B->A capacity " + Integer.toUnsignedString(otherCapacity)
                    + " (0x" + String.format("%08X", otherCapacity) + ")");
        }
        if (size < layout.totalSize()) {
            throw tooShort(path, size, "the declared geometry " + geometry.describe(), layout.totalSize());
        }
        ShmConfig expected = options.expectedConfig();
        if (expected != null && !expected.equals(geometry)) {
            throw new ShmOpenException(Reason.GEOMETRY_MISMATCH, path, "segment geometry " + geometry.describe()
                    + " differs from the expected geometry " + expected.describe());
        }
        return new Opened(new MappedSegment(arena, mapped.asSlice(0, layout.totalSize()), layout, file));
    }

    private static void checkMagic(Path path, long magic) {
        if (magic != SegmentLayout.MAGIC) {
            throw new ShmOpenException(Reason.BAD_MAGIC, path, "magic bytes " + magicHex(magic)
                    + " are not " + magicHex(SegmentLayout.MAGIC) + " (\"RAPACE\\0\\0\")");
        }
    }

    /** {@code name=4294967295 (0xFFFFFFFF)}: a u32 field as the wire has it, decimal and hexadecimal. */
    private static String wireU32(String name, int value) {
        return name + "=" + Integer.toUnsignedString(value) + " (0x" + String.format("%08X", value) + ")";
    }

    private static String magicHex(long magic) {
        return HexFormat.of().formatHex(
                ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(magic).array());
    }

    private static ShmOpenException tooShort(Path path, long size, String what, long needed) {
        return new ShmOpenException(Reason.FILE_TOO_SHORT, path, "file is " + size + " bytes but "
                + what + " needs " + needed + " bytes");
    }
}
