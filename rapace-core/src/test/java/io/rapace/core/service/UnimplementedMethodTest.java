package io.rapace.core.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A method the peer does not serve fails with UNIMPLEMENTED naming the service and method the caller asked for,
 * not only the wire id the peer saw, for every result shape.
 */
class UnimplementedMethodTest {

    /** What the plugin serves. */
    @RapaceService("Bookshelf")
    public interface Served {

        String title(int id);
    }

    /** What the host believes the plugin serves: one more method of each shape. */
    @RapaceService("Bookshelf")
    public interface Believed {

        String title(int id);

        String notThere(int id);

        CompletableFuture<String> notThereAsync(int id);

        Flux<String> notThereStream(int id);
    }

    @TempDir
    Path dir;

    private RpcSession host;

    private RpcSession plugin;

    @BeforeEach
    void start() {
        Path file = this.dir.resolve("unimplemented.shm");
        this.host = RpcSession.start(ShmTransport.create(file, new ShmConfig(64, 4096, 32), ShmOptions.defaults()),
                SessionOptions.defaults());
        this.plugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()), SessionOptions.defaults()
                .withDispatcher(ServiceDefinition.of(Served.class, (Served) id -> "book " + id).dispatcher()));
    }

    @AfterEach
    void stop() {
        this.plugin.close(Duration.ZERO);
        this.host.close(Duration.ZERO);
    }

    @Test
    void eachShapeNamesTheMissingMethod() {
        Believed client = RapaceClients.create(Believed.class, this.host,
                ClientOptions.defaults().withTimeout(Duration.ofSeconds(30)));
        assertThat(client.title(7)).isEqualTo("book 7");
        assertThatThrownBy(() -> client.notThere(1)).isInstanceOfSatisfying(RapaceException.class,
                ex -> assertNamed(ex, "Bookshelf.not_there"));
        assertThatThrownBy(() -> client.notThereAsync(1).join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(RapaceException.class,
                        ex -> assertNamed(ex, "Bookshelf.not_there_async"));
        assertThatThrownBy(() -> client.notThereStream(1).blockLast()).isInstanceOfSatisfying(RapaceException.class,
                ex -> assertNamed(ex, "Bookshelf.not_there_stream"));
    }

    private static void assertNamed(RapaceException ex, String qualifiedName) {
        assertThat(ex.errorCode()).isEqualTo(ErrorCode.UNIMPLEMENTED);
        assertThat(ex.getMessage()).startsWith(qualifiedName + " (method id ")
                .endsWith(") is not implemented by the peer");
    }
}
