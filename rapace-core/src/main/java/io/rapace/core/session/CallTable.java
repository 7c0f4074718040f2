package io.rapace.core.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The calls of a session by channel id: an open-addressing table with {@code int} keys (linear probing,
 * backward-shift deletion), so that registering, finding and removing a call allocates nothing (no boxed
 * key, no node), unlike a {@code ConcurrentHashMap<Integer, …>}. Thread-safe by one monitor: every
 * operation is a few array accesses, callers and the receive loop hold it for nanoseconds. Iteration
 * walks a snapshot taken when it starts (it sees everything added before), for sweeps and shutdown.
 *
 * @param <T> the call type
 */
final class CallTable<T> implements Iterable<T> {

    private static final int INITIAL_CAPACITY = 64;

    /** Channel id 0 is the control channel, never a call: it marks a free cell. */
    private static final int FREE = 0;

    private int[] keys = new int[INITIAL_CAPACITY];

    private @Nullable Object[] values = new Object[INITIAL_CAPACITY];

    /**
     * Calls registered. Written under the monitor with release stores ({@link #setSize}: a plain move on x86, where a
     * volatile store would add a fence to every put and remove), read plainly under it and by an acquire load without
     * it ({@link #isEmptyWithoutLock()}).
     */
    private int size;

    private static final VarHandle SIZE;

    static {
        try {
            SIZE = MethodHandles.lookup().findVarHandle(CallTable.class, "size", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Registers {@code value} under {@code channelId} (non-zero), replacing any previous one. */
    synchronized void put(int channelId, T value) {
        if (channelId == FREE) {
            throw new IllegalArgumentException("channel 0 is the control channel, not a call");
        }
        if ((this.size + 1) * 2 > this.keys.length) {
            grow();
        }
        int mask = this.keys.length - 1;
        for (int i = mix(channelId) & mask; ; i = (i + 1) & mask) {
            if (this.keys[i] == FREE) {
                this.keys[i] = channelId;
                this.values[i] = value;
                setSize(this.size + 1);
                return;
            }
            if (this.keys[i] == channelId) {
                this.values[i] = value;
                return;
            }
        }
    }

    /** The call on {@code channelId}, or null. */
    @SuppressWarnings("unchecked")
    synchronized @Nullable T get(int channelId) {
        int index = indexOf(channelId);
        return index < 0 ? null : (T) this.values[index];
    }

    /** Whether a call is registered on {@code channelId}. */
    synchronized boolean containsKey(int channelId) {
        return indexOf(channelId) >= 0;
    }

    /**
     * The call on {@code channelId}, or null; removed in the same look when it is an instance of {@code removed}. A
     * find-and-remove with one monitor enter instead of two, for the answer that ends a call.
     */
    @SuppressWarnings("unchecked")
    synchronized @Nullable T getRemovingIf(int channelId, Class<? extends T> removed) {
        int index = indexOf(channelId);
        if (index < 0) {
            return null;
        }
        T value = (T) this.values[index];
        if (removed.isInstance(value)) {
            delete(index);
        }
        return value;
    }

    /** Removes the call on {@code channelId} if it is {@code value} (identity); true when it did. */
    synchronized boolean remove(int channelId, T value) {
        int index = indexOf(channelId);
        if (index < 0 || this.values[index] != value) {
            return false;
        }
        delete(index);
        return true;
    }

    /** Number of registered calls. */
    synchronized int size() {
        return this.size;
    }

    /** Whether no call is registered. */
    synchronized boolean isEmpty() {
        return this.size == 0;
    }

    /**
     * Whether no call is registered, read without the monitor: exact for the calls this thread put (its own release
     * stores), and for others' as far as their puts and removes are visible yet. For a thread that alone adds calls,
     * true means none of its calls is registered: a look at one channel can be skipped.
     */
    boolean isEmptyWithoutLock() {
        return (int) SIZE.getAcquire(this) == 0;  // pairs with the release store in setSize
    }

    /** The registered calls, as a snapshot. */
    @SuppressWarnings("unchecked")
    synchronized List<T> snapshot() {
        List<T> all = new ArrayList<>(this.size);
        for (int i = 0; i < this.keys.length; i++) {
            if (this.keys[i] != FREE) {
                all.add((T) this.values[i]);
            }
        }
        return all;
    }

    @Override
    public Iterator<T> iterator() {
        return snapshot().iterator();
    }

    private int indexOf(int channelId) {
        if (channelId == FREE) {
            return -1;
        }
        int mask = this.keys.length - 1;
        for (int i = mix(channelId) & mask; ; i = (i + 1) & mask) {
            int key = this.keys[i];
            if (key == channelId) {
                return i;
            }
            if (key == FREE) {
                return -1;
            }
        }
    }

    /** Backward-shift deletion: keeps every probe chain unbroken without tombstones. */
    private void delete(int index) {
        int mask = this.keys.length - 1;
        int hole = index;
        for (int i = (hole + 1) & mask; this.keys[i] != FREE; i = (i + 1) & mask) {
            int home = mix(this.keys[i]) & mask;
            // Move the entry at i into the hole unless its home lies cyclically in (hole, i].
            boolean homeBetween = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
            if (!homeBetween) {
                this.keys[hole] = this.keys[i];
                this.values[hole] = this.values[i];
                hole = i;
            }
        }
        this.keys[hole] = FREE;
        this.values[hole] = null;
        setSize(this.size - 1);
    }

    private void setSize(int value) {
        SIZE.setRelease(this, value);  // pairs with the acquire load in isEmptyWithoutLock
    }

    private void grow() {
        int[] oldKeys = this.keys;
        Object[] oldValues = this.values;
        this.keys = new int[oldKeys.length * 2];
        this.values = new Object[oldKeys.length * 2];
        int mask = this.keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != FREE) {
                int i = mix(oldKeys[j]) & mask;
                while (this.keys[i] != FREE) {
                    i = (i + 1) & mask;
                }
                this.keys[i] = oldKeys[j];
                this.values[i] = oldValues[j];
            }
        }
    }

    /** Channel ids step by 2: spread them so that consecutive ids do not cluster. */
    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
