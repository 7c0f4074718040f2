package io.rapace.core.codec;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * Builds codecs from {@link TypeShape}s once and caches them. Lookups of built codecs take no lock; building runs
 * under one lock (it is rare, and a recursive type's codecs must be finished together before anyone sees them).
 */
final class CodecFactory {

    private final ConcurrentHashMap<TypeShape, PostcardCodec<@Nullable Object>> cache = new ConcurrentHashMap<>();

    /** A ReentrantLock rather than synchronized, so that virtual threads waiting for a build do not pin. */
    private final ReentrantLock buildLock = new ReentrantLock();

    /**
     * The codec of {@code shape}, built on first use.
     *
     * @throws IllegalArgumentException when the type (or a type inside it) is not supported; the message names the
     *         type and where inside the outer type it was found
     */
    PostcardCodec<@Nullable Object> codecFor(TypeShape shape) {
        PostcardCodec<@Nullable Object> codec = this.cache.get(shape);
        if (codec != null) {
            return codec;
        }
        this.buildLock.lock();
        try {
            codec = this.cache.get(shape);
            if (codec != null) {
                return codec;
            }
            CodecBuild build = new CodecBuild(this.cache);
            try {
                codec = build.codecFor(shape);
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("cannot build a postcard codec for " + shape + ": "
                        + ex.getMessage() + build.where(), ex);
            }
            // publishing through the ConcurrentHashMap orders every field write of the new codecs before any
            // reader's get() that sees them
            this.cache.putAll(build.built());
            return codec;
        }
        finally {
            this.buildLock.unlock();
        }
    }
}
