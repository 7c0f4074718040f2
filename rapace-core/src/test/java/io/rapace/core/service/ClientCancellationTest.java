package io.rapace.core.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Cancelling a unary call through a client reaches the server's implementation. */
class ClientCancellationTest {

    /** A service whose calls never answer until cancelled. */
    @RapaceService("Waiter")
    public interface Waiter {

        Mono<String> waitAsMono();

        CompletableFuture<String> waitAsFuture();

        String echo(String text);
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final CountDownLatch monoCancelled = new CountDownLatch(1);

    private final CompletableFuture<String> serverFuture = new CompletableFuture<>();

    private RpcSession host;

    private RpcSession plugin;

    @BeforeEach
    void start() {
        Path file = this.dir.resolve("cancel.shm");
        ShmTransport hostTransport = ShmTransport.create(file, new ShmConfig(64, 4096, 32), ShmOptions.defaults());
        this.host = RpcSession.start(hostTransport, SessionOptions.defaults());
        Waiter implementation = new Waiter() {
            @Override
            public Mono<String> waitAsMono() {
                return Mono.<String>never().doOnCancel(ClientCancellationTest.this.monoCancelled::countDown);
            }

            @Override
            public CompletableFuture<String> waitAsFuture() {
                return ClientCancellationTest.this.serverFuture;
            }

            @Override
            public String echo(String text) {
                return text;
            }
        };
        this.plugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()), SessionOptions.defaults()
                .withDispatcher(ServiceDefinition.of(Waiter.class, implementation).dispatcher()));
    }

    @AfterEach
    void stop() {
        this.plugin.close(Duration.ZERO);
        this.host.close(Duration.ZERO);
    }

    @Test
    void disposingAProxyMonoCancelsTheServersMono() {
        Waiter client = RapaceClients.create(Waiter.class, this.host);
        Disposable subscription = client.waitAsMono().subscribe();
        await().atMost(WAIT).until(() -> this.plugin.activeServerCalls() == 1);
        subscription.dispose();
        await().atMost(WAIT).until(() -> this.monoCancelled.getCount() == 0);
        await().atMost(WAIT).until(() -> this.plugin.activeServerCalls() == 0 && this.host.pendingCalls() == 0);
        assertThat(client.echo("still works")).isEqualTo("still works");
    }

    @Test
    void cancellingAProxyFutureCancelsTheServersFuture() {
        Waiter client = RapaceClients.create(Waiter.class, this.host);
        CompletableFuture<String> future = client.waitAsFuture();
        await().atMost(WAIT).until(() -> this.plugin.activeServerCalls() == 1);
        assertThat(future.cancel(true)).isTrue();
        await().atMost(WAIT).until(this.serverFuture::isCancelled);
        assertThat(this.serverFuture).isCompletedExceptionally();
        await().atMost(WAIT).until(() -> this.plugin.activeServerCalls() == 0 && this.host.pendingCalls() == 0);
        assertThat(future).isCancelled();
    }
}
