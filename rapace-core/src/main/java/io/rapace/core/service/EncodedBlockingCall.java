package io.rapace.core.service;

import java.time.Duration;

import io.rapace.core.RapaceException;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.core.session.RpcSession;
import org.jspecify.annotations.Nullable;

/**
 * The blocking calls of one plain-value method of one generated client ({@link GeneratedClients}) whose sessions
 * come at once: the client has written the arguments into the thread's writer one by one, this finds the session
 * and makes the call, with the failures {@link RemoteCalls#blocking} would throw.
 */
final class EncodedBlockingCall {

    private final DirectSource source;

    private final MethodDefinition method;

    private final @Nullable Duration timeout;

    EncodedBlockingCall(DirectSource source, MethodDefinition method, @Nullable Duration timeout) {
        this.source = source;
        this.method = method;
        this.timeout = timeout;
    }

    /** Calls with the request in {@code request} (given back in every case) and returns the decoded answer. */
    @Nullable Object callForValue(PostcardWriter request) {
        RpcSession session = sessionOrRelease(request);
        try {
            return session.callBlocking(this.method.id(), request, this.method.resultCodec(), this.timeout);
        }
        catch (RapaceException failure) {
            throw RemoteCalls.blockingFailure(this.method, failure);
        }
    }

    /** {@link #callForValue} for a primitive answer, returned as its bits ({@link RpcSession#callBlockingForBits}). */
    long callForBits(PostcardWriter request) {
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
