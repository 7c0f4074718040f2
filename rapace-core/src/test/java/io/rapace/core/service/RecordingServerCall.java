package io.rapace.core.service;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.rapace.core.ErrorCode;
import io.rapace.core.session.ServerCall;
import org.jspecify.annotations.Nullable;

/** A ServerCall test double that records what the handler answered. */
final class RecordingServerCall implements ServerCall {

    /** One answer frame. */
    sealed interface Answer {
        /** DATA|EOS. */
        record Response(byte[] payload) implements Answer { }
        /** DATA. */
        record Item(byte[] payload) implements Answer { }
        /** EOS. */
        record Complete() implements Answer { }
        /** ERROR|EOS. */
        record Failure(ErrorCode code, String message) implements Answer { }
    }

    private final int methodId;

    private final byte[] request;

    private final List<Answer> answers = new CopyOnWriteArrayList<>();

    private final List<Runnable> cancelActions = new CopyOnWriteArrayList<>();

    private final AtomicBoolean cancelled = new AtomicBoolean();

    private volatile @Nullable Runnable onItem;

    RecordingServerCall(int methodId, byte[] request) {
        this.methodId = methodId;
        this.request = request;
    }

    List<Answer> answers() {
        return this.answers;
    }

    void onItem(Runnable action) {
        this.onItem = action;
    }

    void cancel() {
        this.cancelled.set(true);
        this.cancelActions.forEach(Runnable::run);
    }

    @Override
    public int channelId() {
        return 2;
    }

    @Override
    public int methodId() {
        return this.methodId;
    }

    @Override
    public byte[] requestPayload() {
        return this.request;
    }

    @Override
    public long deadlineNs() {
        return -1L;
    }

    @Override
    public boolean isCancelled() {
        return this.cancelled.get();
    }

    @Override
    public boolean isEnded() {
        return this.cancelled.get() || this.answers.stream().anyMatch(a -> !(a instanceof Answer.Item));
    }

    @Override
    public void onCancel(Runnable action) {
        this.cancelActions.add(action);
    }

    @Override
    public void respond(byte[] payload) {
        this.answers.add(new Answer.Response(payload));
    }

    @Override
    public void sendItem(byte[] payload) {
        this.answers.add(new Answer.Item(payload));
        Runnable action = this.onItem;
        if (action != null) {
            action.run();
        }
    }

    @Override
    public void complete() {
        this.answers.add(new Answer.Complete());
    }

    @Override
    public void fail(ErrorCode code, String message) {
        this.answers.add(new Answer.Failure(code, message));
    }
}
