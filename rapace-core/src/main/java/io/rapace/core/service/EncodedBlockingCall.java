package io.rapace.core.service;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import io.rapace.core.RapaceException;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.core.session.RpcSession;
import org.jspecify.annotations.Nullable;

/**
 * The blocking calls of one plain-value method of one generated client ({@link GeneratedClients}) whose sessions
 * come at once: the client has written the arguments into the thread's writer one by one, this finds the session
 * and makes the call, with the failures {@link RemoteCalls#blocking} would throw.
 *
 * <p>The client's class, in the service interface's package, calls it through the JDK's functional interfaces, which
 * it can name where this package-private class it cannot: {@link #applyAsLong} for a primitive answer,
 * {@link #apply} for any other.
 */
final class EncodedBlockingCall implements ToLongFunction<PostcardWriter>, Function<PostcardWriter, @Nullable Object> {

    private final DirectSource source;

    private final MethodDefinition method;

    private final @Nullable Duration timeout;

    EncodedBlockingCall(DirectSource source, MethodDefinition method, @Nullable Duration timeout) {
        this.source = source;
        this.method = method;
        this.timeout = timeout;
    }

    /** Calls with the request in {@code request} (given back in every case) and returns the decoded answer. */
    @Override
    public @Nullable Object apply(PostcardWriter request) {
        RpcSession session = sessionOrRelease(request);
        try {
            return session.callBlocking(this.method.id(), request, this.method.resultCodec(), this.timeout);
        }
        catch (RapaceException failure) {
            throw RemoteCalls.blockingFailure(this.method, failure);
        }
    }

    /** {@link #apply} for a primitive answer, returned as its bits ({@link RpcSession#callBlockingForBits}). */
    @Override
    public long applyAsLong(PostcardWriter request) {
        RpcSession session = sessionOrRelease(request);
        try {
            return session.callBlockingForBits(this.method.id(), request, this.method.resultCodec(), this.timeout);
        }
        catch (RapaceException failure) {
            throw RemoteCalls.blockingFailure(this.method, failure);
        }
    }

    /** The session of this call; when the source refuses it, the writer is given back before the refusal is thrown. */
    private RpcSession sessionOrRelease(PostcardWriter request) {
        try {
            return this.source.sessionOfCall();
        }
        catch (RuntimeException refused) {
            Codecs.releaseWriter(request);
            throw refused;
        }
    }
}
