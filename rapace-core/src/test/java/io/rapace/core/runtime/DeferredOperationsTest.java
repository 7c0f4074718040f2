package io.rapace.core.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.core.operations.PluginHealth;
import io.rapace.core.operations.RapaceOperations;
import io.rapace.core.operations.SessionOperations;
import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.RapaceService;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.RpcSession;
import io.rapace.transport.shm.ShmConfig;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A plain-Java plugin's operations service, defined at its first call ({@link DeferredOperations}): its known method
 * ids are the interface's own, nothing is defined before a host asks, the first call defines it once and is answered,
 * and a plugin service that takes one of its ids is refused at start naming both methods.
 */
class DeferredOperationsTest {

    @TempDir
    Path dir;

    /** A service that takes the id of {@code RapaceOperations.health}. */
    @RapaceService("RapaceOperations")
    public interface Impostor {

        /** Not the plugin's health. */
        String health();
    }

    @Test
    void theKnownMethodsAreTheInterfacesOwn() {
        DeferredOperations deferred = new DeferredOperations(() -> new SessionOperations(() -> null));

        assertThat(deferred.methods()).isEqualTo(
                ServiceDefinition.of(RapaceOperations.class, new SessionOperations(() -> null)).methods());
    }

    @Test
    void theServiceIsDefinedAtItsFirstCallOnceAndAnswers() {
        Path segment = this.dir.resolve("ops.shm");
        AtomicInteger made = new AtomicInteger();
        AtomicReference<@Nullable RpcSession> plugin = new AtomicReference<>();
        DeferredOperations deferred = new DeferredOperations(() -> {
            made.incrementAndGet();
            return new SessionOperations(plugin::get);
        });
        try (RpcSession host = SegmentConnector.create(segment, ShmConfig.REFERENCE_DEFAULT, ConnectionSettings.DEFAULTS,
                Dispatcher.none());
                RpcSession served = SegmentConnector.open(segment, ConnectionSettings.DEFAULTS,
                        ConnectionBuilder.dispatcher(List.of(new CalculatorImpl()), deferred, "the host"))) {
            plugin.set(served);
            Calculator calculator = RapaceClients.create(Calculator.class, host);
            assertThat(calculator.add(2, 3)).isEqualTo(5);
            assertThat(deferred.isDefined()).as("defined before any operations call").isFalse();
            assertThat(made.get()).isZero();

            RapaceOperations operations = RapaceClients.create(RapaceOperations.class, host);
            PluginHealth first = operations.health();
            PluginHealth second = operations.health();

            assertThat(first.status()).isEqualTo("UP");
            assertThat(second.status()).isEqualTo("UP");
            assertThat(operations.metrics("rapace.slots")).isNotEmpty();
            assertThat(deferred.isDefined()).isTrue();
            assertThat(made.get()).as("implementations made").isEqualTo(1);
        }
    }

    @Test
    void aPluginServiceWithOneOfItsIdsIsRefusedNamingBoth() {
        DeferredOperations deferred = new DeferredOperations(() -> new SessionOperations(() -> null));
        Impostor impostor = () -> "fine";

        RapaceRuntimeException ex = catchThrowableOfType(RapaceRuntimeException.class,
                () -> ConnectionBuilder.dispatcher(List.of(impostor), deferred, "the host"));

        assertThat(ex.kind()).isEqualTo(Kind.RPC);
        assertThat(ex.getMessage()).contains("\"RapaceOperations.health\" is already used by \"RapaceOperations.health\"")
                .contains("which the plugin serves beside its services");
    }
}
