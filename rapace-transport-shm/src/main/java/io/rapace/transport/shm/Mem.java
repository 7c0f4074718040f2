package io.rapace.transport.shm;

import java.lang.invoke.VarHandle;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Little-endian field access on the mapped segment, with the memory order in the method name.
 * Every atomic field of the layout is naturally aligned, so the aligned layouts apply.
 */
final class Mem {

    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final VarHandle LONG = U64.varHandle();
    private static final VarHandle INT = U32.varHandle();

    private Mem() {
    }

    static long getLong(MemorySegment segment, long offset) {
        return segment.get(U64, offset);
    }

    static void putLong(MemorySegment segment, long offset, long value) {
        segment.set(U64, offset, value);
    }

    static int getInt(MemorySegment segment, long offset) {
        return segment.get(U32, offset);
    }

    static void putInt(MemorySegment segment, long offset, int value) {
        segment.set(U32, offset, value);
    }

    static long getLongAcquire(MemorySegment segment, long offset) {
        return (long) LONG.getAcquire(segment, offset);
    }

    static void putLongRelease(MemorySegment segment, long offset, long value) {
        LONG.setRelease(segment, offset, value);
    }

    static long getAndAddLong(MemorySegment segment, long offset, long delta) {
        return (long) LONG.getAndAdd(segment, offset, delta);
    }

    static int getIntAcquire(MemorySegment segment, long offset) {
        return (int) INT.getAcquire(segment, offset);
    }

    static void putIntRelease(MemorySegment segment, long offset, int value) {
        INT.setRelease(segment, offset, value);
    }

    static int getAndAddInt(MemorySegment segment, long offset, int delta) {
        return (int) INT.getAndAdd(segment, offset, delta);
    }

    /** A volatile (sequentially consistent) store: on x86 a store followed by a full fence. */
    static void putIntVolatile(MemorySegment segment, long offset, int value) {
        INT.setVolatile(segment, offset, value);
    }

    /** Orders every load and store before it against every load and store after it. */
    static void fullFence() {
        VarHandle.fullFence();
    }

    static boolean compareAndSetInt(MemorySegment segment, long offset, int expected, int value) {
        return INT.compareAndSet(segment, offset, expected, value);
    }
}
