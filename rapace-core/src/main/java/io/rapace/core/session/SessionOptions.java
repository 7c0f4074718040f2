package io.rapace.core.session;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link RpcSession} behaves. Immutable; start from {@link #defaults()} and use the withers.
 *
 * @param dispatcher finds handlers for incoming requests ({@link Dispatcher#none()} for a pure client)
 * @param defaultCallTimeout deadline of a call (unary, or a whole stream) when the caller gives none
 * @param sendTimeout how long one send may wait for ring space or a free slot
 * @param closeGrace how long {@link RpcSession#close()} waits for in-flight handlers
 * @param observer metrics hooks
 * @param maxActiveServerCalls how many requests may run on handler threads at once; more are answered
 *     {@code RESOURCE_EXHAUSTED} at once (so a peer that sends faster than handlers finish cannot grow
 *     threads and heap without bound)
 */
public record SessionOptions(Dispatcher dispatcher, Duration defaultCallTimeout, Duration sendTimeout,
        Duration closeGrace, SessionObserver observer, int maxActiveServerCalls) {

    /** Default limit of requests running on handler threads at once: 1024. */
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
                this.maxActiveServerCalls);
    }

    /** A copy with another default call timeout. */
    public SessionOptions withDefaultCallTimeout(Duration value) {
        return new SessionOptions(this.dispatcher, value, this.sendTimeout, this.closeGrace, this.observer,
                this.maxActiveServerCalls);
    }

    /** A copy with another send timeout. */
    public SessionOptions withSendTimeout(Duration value) {
        return new SessionOptions(this.dispatcher, this.defaultCallTimeout, value, this.closeGrace, this.observer,
                this.maxActiveServerCalls);
    }

    /** A copy with another close grace. */
    public SessionOptions withCloseGrace(Duration value) {
        return new SessionOptions(this.dispatcher, this.defaultCallTimeout, this.sendTimeout, value, this.observer,
                this.maxActiveServerCalls);
    }

    /** A copy with another observer. */
    public SessionOptions withObserver(SessionObserver value) {
        return new SessionOptions(this.dispatcher, this.defaultCallTimeout, this.sendTimeout, this.closeGrace, value,
                this.maxActiveServerCalls);
    }

    /** A copy with another limit of requests running on handler threads at once. */
    public SessionOptions withMaxActiveServerCalls(int value) {
        return new SessionOptions(this.dispatcher, this.defaultCallTimeout, this.sendTimeout, this.closeGrace,
                this.observer, value);
    }

    static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
