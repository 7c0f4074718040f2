package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;

import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.RapaceService;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a call through a typed client proxy allocates on its caller's thread, between two real sessions over one
 * mapped file: the session's call object and the argument array the JDK's proxy makes, nothing per call beyond
 * them (the arguments are encoded into the thread's reusable buffer, the answer decoded from the frame).
 */
class TypedCallAllocationTest {

    /** The service called. */
    @RapaceService("Adder")
    public interface Adder {

        /** The sum. */
        int add(int a, int b);
    }

    /**
     * The call object (48 bytes) and the proxy's {@code Object[2]} (24 bytes): 72, with 8 to spare. The boxes of
     * small numbers are cached. Encoding the arguments into an array of their own (24 bytes) or copying the answer
     * out of the mapping (24) breaks it.
     */
    static final long BUDGET_BYTES_PER_CALL = 80;

    static final int CALLS = 20_000;

    @TempDir
    Path dir;

    RpcSession host;

    RpcSession plugin;

    @BeforeEach
    void start() {
        Path file = this.dir.resolve("typed-alloc.shm");
        this.host = RpcSession.start(ShmTransport.create(file, SessionPair.CONFIG, ShmOptions.defaults()),
                SessionOptions.defaults());
        Adder implementation = Integer::sum;
        this.plugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()), SessionOptions.defaults()
                .withDispatcher(ServiceDefinition.of(Adder.class, implementation).dispatcher()));
    }

    @AfterEach
    void stop() {
        this.plugin.close(Duration.ZERO);
        this.host.close(Duration.ZERO);
    }

    @Test
    void aTypedCallAllocatesTheSessionsCallAndTheProxysArgumentArrayOnly() {
        Adder adder = RapaceClients.create(Adder.class, this.host);
        addRepeatedly(adder);  // class loading, first-time paths
        long perCall = ThreadAllocation.bytesPerOperation(CALLS, () -> addRepeatedly(adder));

        assertThat(perCall).as("bytes allocated per typed call on the caller's thread").isLessThanOrEqualTo(BUDGET_BYTES_PER_CALL);
    }

    private static void addRepeatedly(Adder adder) {
        for (int i = 0; i < CALLS; i++) {
            int sum = adder.add(1, 2);
            if (sum != 3) {
                throw new AssertionError("unexpected sum " + sum);
            }
        }
    }
}
