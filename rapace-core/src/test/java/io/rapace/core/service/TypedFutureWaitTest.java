package io.rapace.core.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A typed client's {@code CompletableFuture} method: the thread that waits on the returned future reads the answer,
 * decodes it and completes the future on its own thread (no callback thread in between), as {@code call(...).get()}.
 */
class TypedFutureWaitTest {

    /** A service answering through a future. */
    @RapaceService("FutureAdder")
    public interface FutureAdder {

        CompletableFuture<Integer> addLater(int a, int b);
    }

    @TempDir
    Path dir;

    private RpcSession host;

    private RpcSession plugin;

    @BeforeEach
    void start() {
        Path file = this.dir.resolve("typed-futures.shm");
        this.host = RpcSession.start(ShmTransport.create(file, new ShmConfig(64, 4096, 32), ShmOptions.defaults()),
                SessionOptions.defaults());
        FutureAdder served = (a, b) -> CompletableFuture.completedFuture(a + b);
        this.plugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()), SessionOptions.defaults()
                .withDispatcher(ServiceDefinition.of(FutureAdder.class, served).dispatcher()));
    }

    @AfterEach
    void stop() {
        this.plugin.close(Duration.ZERO);
        this.host.close(Duration.ZERO);
    }

    @Test
    void theThreadWaitingOnATypedFutureCompletesIt() throws Exception {
        FutureAdder client = RapaceClients.create(FutureAdder.class, this.host);
        Thread self = Thread.currentThread();
        int onThisThread = 0;
        // On a loaded machine an answer may come later than the waiting thread reads for it: some calls suffice.
        for (int i = 0; i < 20_000 && onThisThread < 10; i++) {
            CompletableFuture<Integer> sum = client.addLater(i, 1);
            // A stage made on a future already complete runs at once, on this thread: that run does not count.
            boolean[] making = {true};
            CompletableFuture<Boolean> completedByWaiter =
                    sum.thenApply(value -> !making[0] && Thread.currentThread() == self);
            making[0] = false;
            if (completedByWaiter.get()) {
                onThisThread++;
            }
            assertThat(sum.join()).isEqualTo(i + 1);
        }
        assertThat(onThisThread).as("typed answers completed by the thread waiting on the future").isPositive();
    }
}
