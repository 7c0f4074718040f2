package io.rapace.core.session;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link RpcSession} behaves. Immutable; start from {@link #defaults()} and use the withers.
 *
 * @param dispatcher finds handlers for incoming requests ({@link Dispatcher#none()} for a pure client)
 * @param defaultCallTimeout deadline of a call (unary, or a whole stream) when the caller gives none
 * @param sendTimeout how long one send of a request may wait for ring space or a free slot (then the call
 *     fails {@code RESOURCE_EXHAUSTED}); answers a server owes never time out while the peer lives
 * @param closeGrace how long {@link RpcSession#close()} waits for in-flight handlers
 * @param observer metrics hooks
 * @param maxActiveServerCalls how many requests may be in progress at once (handlers running, or their
 *     answers waiting for ring space); once reached the session stops taking new requests: it holds the
 *     ones already read and stops reading the ring, so the peer's sends wait (back-pressure, nothing
 *     refused); see {@code docs/session.md}
 * @param maxHeldServerRequests how many requests read past {@code maxActiveServerCalls} may wait (copied)
 *     for a free place; only when the session must keep reading for answers to its own calls can this
 *     fill up, and then further requests are answered {@code RESOURCE_EXHAUSTED}
 * @param maxBufferedStreamItems how many items of one server stream may wait between the ring and a slow
 *     subscriber; once reached the thread reading the ring holds off until the subscriber takes half of
 *     them (or cancels, or the stream's deadline passes), so the server's sends wait
 */
public record SessionOptions(Dispatcher dispatcher, Duration defaultCallTimeout, Duration sendTimeout,
        Duration closeGrace, SessionObserver observer, int maxActiveServerCalls, int maxHeldServerRequests,
        int maxBufferedStreamItems) {

    /** Default limit of requests read but waiting for a place: 256. */
    public static final int DEFAULT_MAX_HELD_SERVER_REQUESTS = 256;

    /** Default limit of items of one server stream buffered for its subscriber: 256. */
    public static final int DEFAULT_MAX_BUFFERED_STREAM_ITEMS = 256;

    /** Default limit of requests in progress at once: 1024. */
    public static final int DEFAULT_MAX_ACTIVE_SERVER_CALLS = 1024;

    /** Default deadline of a call: 30 s. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    /** Default send timeout: 5 s. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(5);

    /** Default close grace: 5 s. */
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(5);

    /** Validates every field; errors name the field and its value. */
    public SessionOptions {
        Objects.requireNonNull(dispatcher, "dispatcher");
        Objects.requireNonNull(observer, "observer");
        requirePositive("defaultCallTimeout", defaultCallTimeout);
        requirePositive("sendTimeout", sendTimeout);
        Objects.requireNonNull(closeGrace, "closeGrace");
        if (closeGrace.isNegative()) {
            throw new IllegalArgumentException("closeGrace must be >= 0, was " + closeGrace);
        }
        if (maxActiveServerCalls <= 0) {
            throw new IllegalArgumentException("maxActiveServerCalls must be > 0, was " + maxActiveServerCalls);
        }
        if (maxHeldServerRequests <= 0) {
            throw new IllegalArgumentException("maxHeldServerRequests must be > 0, was " + maxHeldServerRequests);
        }
        if (maxBufferedStreamItems <= 1) {
            throw new IllegalArgumentException("maxBufferedStreamItems must be > 1, was " + maxBufferedStreamItems);
        }
    }

    /** The options with the default bounds of held requests and buffered stream items. */
    public SessionOptions(Dispatcher dispatcher, Duration defaultCallTimeout, Duration sendTimeout, Duration closeGrace,
            SessionObserver observer, int maxActiveServerCalls) {
        this(dispatcher, defaultCallTimeout, sendTimeout, closeGrace, observer, maxActiveServerCalls,
                DEFAULT_MAX_HELD_SERVER_REQUESTS, DEFAULT_MAX_BUFFERED_STREAM_ITEMS);
    }

    /** The options without a limit given: {@link #DEFAULT_MAX_ACTIVE_SERVER_CALLS}. */
    public SessionOptions(Dispatcher dispatcher, Duration defaultCallTimeout, Duration sendTimeout, Duration closeGrace,
            SessionObserver observer) {
        this(dispatcher, defaultCallTimeout, sendTimeout, closeGrace, observer, DEFAULT_MAX_ACTIVE_SERVER_CALLS);
    }

    /** No dispatcher, 30 s call timeout, 5 s send timeout, 5 s close grace, no observer. */
    public static SessionOptions defaults() {
        return new SessionOptions(Dispatcher.none(), DEFAULT_CALL_TIMEOUT, DEFAULT_SEND_TIMEOUT, DEFAULT_CLOSE_GRACE,
                SessionObserver.NONE);
    }

    /** A copy with another dispatcher. */
    public SessionOptions withDispatcher(Dispatcher value) {
        return new SessionOptions(value, this.defaultCallTimeout, this.sendTimeout, this.closeGrace, this.observer,
                this.maxActiveServerCalls, this.maxHeldServerRequests, this.maxBufferedStreamItems);
    }

    /** A copy with another default call timeout. */
    public SessionOptions withDefaultCallTimeout(Duration value) {
        return new SessionOptions(this.dispatcher, value, this.sendTimeout, this.closeGrace, this.observer,
                this.maxActiveServerCalls, this.maxHeldServerRequests, this.maxBufferedStreamItems);
    }

    /** A copy with another send timeout. */
    public SessionOptions withSendTimeout(Duration value) {
        return new SessionOptions(this.dispatcher, this.defaultCallTimeout, value, this.closeGrace, this.observer,
                this.maxActiveServerCalls, this.maxHeldServerRequests, this.maxBufferedStreamItems);
    }

    /** A copy with another close grace. */
    public SessionOptions withCloseGrace(Duration value) {
        return new SessionOptions(this.dispatcher, this.defaultCallTimeout, this.sendTimeout, value, this.observer,
                this.maxActiveServerCalls, this.maxHeldServerRequests, this.maxBufferedStreamItems);
    }

    /** A copy with another observer. */
    public SessionOptions withObserver(SessionObserver value) {
        return new SessionOptions(this.dispatcher, this.defaultCallTimeout, this.sendTimeout, this.closeGrace, value,
                this.maxActiveServerCalls, this.maxHeldServerRequests, this.maxBufferedStreamItems);
    }

    /** A copy with another limit of requests in progress at once. */
    public SessionOptions withMaxActiveServerCalls(int value) {
        return new SessionOptions(this.dispatcher, this.defaultCallTimeout, this.sendTimeout, this.closeGrace,
                this.observer, value, this.maxHeldServerRequests, this.maxBufferedStreamItems);
    }

    /** A copy with another limit of requests held (read, waiting for a place) past {@link #maxActiveServerCalls()}. */
    public SessionOptions withMaxHeldServerRequests(int value) {
        return new SessionOptions(this.dispatcher, this.defaultCallTimeout, this.sendTimeout, this.closeGrace,
                this.observer, this.maxActiveServerCalls, value, this.maxBufferedStreamItems);
    }

    /** A copy with another limit of items of one server stream buffered for its subscriber. */
    public SessionOptions withMaxBufferedStreamItems(int value) {
        return new SessionOptions(this.dispatcher, this.defaultCallTimeout, this.sendTimeout, this.closeGrace,
                this.observer, this.maxActiveServerCalls, this.maxHeldServerRequests, value);
    }

    static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
