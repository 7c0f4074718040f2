package io.rapace.core.service;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.rapace.core.codec.PostcardEncodeException;
import io.rapace.core.codec.Unsigned;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Clients whose class is generated ({@link GeneratedClients}), between two real sessions over one mapped file: every
 * primitive type, signed and unsigned, as argument and as result at its extremes (a codec that differs from the
 * server's shows as a wrong value); references, boxes and {@code void}; the same failures as the JDK proxy's, with
 * the thread's writer given back after each (a writer left taken would make every later call allocate one).
 */
class GeneratedClientTest {

    /** Each method returns its argument (or a function of it), so that any encoding mismatch shows. */
    @RapaceService("Primitives")
    public interface Primitives {

        boolean not(boolean value);

        byte sameByte(byte value);

        @Unsigned byte sameUnsignedByte(@Unsigned byte value);

        short sameShort(short value);

        @Unsigned short sameUnsignedShort(@Unsigned short value);

        char sameChar(char value);

        int add(int a, int b);

        @Unsigned int sameUnsignedInt(@Unsigned int value);

        long sameLong(long value);

        @Unsigned long sameUnsignedLong(@Unsigned long value);

        float sameFloat(float value);

        double sameDouble(double value);

        void remember(int value);

        int fortyTwo();

        String label(String prefix, long number, @Nullable Integer maybe, char suffix);

        @Nullable Integer maybe(boolean present);

        List<Integer> range(int from, int count);

        /** Runs in the client. */
        default int addTwice(int a, int b) {
            return add(add(a, b), b);
        }
    }

    /** The implementation served by the plugin session. */
    static final class Echo implements Primitives {

        final AtomicInteger remembered = new AtomicInteger();

        @Override
        public boolean not(boolean value) {
            return !value;
        }

        @Override
        public byte sameByte(byte value) {
            return value;
        }

        @Override
        public byte sameUnsignedByte(byte value) {
            return value;
        }

        @Override
        public short sameShort(short value) {
            return value;
        }

        @Override
        public short sameUnsignedShort(short value) {
            return value;
        }

        @Override
        public char sameChar(char value) {
            return value;
        }

        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public int sameUnsignedInt(int value) {
            return value;
        }

        @Override
        public long sameLong(long value) {
            return value;
        }

        @Override
        public long sameUnsignedLong(long value) {
            return value;
        }

        @Override
        public float sameFloat(float value) {
            return value;
        }

        @Override
        public double sameDouble(double value) {
            return value;
        }

        @Override
        public void remember(int value) {
            this.remembered.set(value);
        }

        @Override
        public int fortyTwo() {
            return 42;
        }

        @Override
        public String label(String prefix, long number, @Nullable Integer maybe, char suffix) {
            return prefix + number + "/" + maybe + suffix;
        }

        @Override
        public @Nullable Integer maybe(boolean present) {
            return present ? 123_456 : null;
        }

        @Override
        public List<Integer> range(int from, int count) {
            return IntStream.range(from, from + count).boxed().toList();
        }
    }

    static final int CALLS = 20_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    private final Echo echo = new Echo();

    private RpcSession host;

    private RpcSession plugin;

    private Primitives client;

    @BeforeEach
    void start() {
        Path file = this.dir.resolve("generated.shm");
        this.host = RpcSession.start(ShmTransport.create(file, new ShmConfig(64, 4096, 32), ShmOptions.defaults()),
                SessionOptions.defaults());
        this.plugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()), SessionOptions.defaults()
                .withDispatcher(ServiceDefinition.of(Primitives.class, this.echo).dispatcher()));
        this.client = RapaceClients.create(Primitives.class, this.host,
                ClientOptions.defaults().withTimeout(Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        this.plugin.close(Duration.ZERO);
        this.host.close(Duration.ZERO);
    }

    @Test
    void theClientIsAGeneratedClassNotAProxy() {
        assertThat(RapaceClients.isClientClass(this.client.getClass())).isTrue();
        assertThat(Proxy.isProxyClass(this.client.getClass())).isFalse();
        assertThat(this.client.getClass().isHidden()).isTrue();
        assertThat(RapaceClients.isClientClass(Echo.class)).isFalse();
    }

    @Test
    void everyPrimitiveTypeTravelsAtItsExtremes() {
        assertThat(this.client.not(true)).isFalse();
        assertThat(this.client.not(false)).isTrue();
        for (byte value : new byte[] {Byte.MIN_VALUE, -1, 0, 1, Byte.MAX_VALUE}) {
            assertThat(this.client.sameByte(value)).isEqualTo(value);
            assertThat(this.client.sameUnsignedByte(value)).isEqualTo(value);
        }
        for (short value : new short[] {Short.MIN_VALUE, -1, 0, 1, 300, Short.MAX_VALUE}) {
            assertThat(this.client.sameShort(value)).isEqualTo(value);
            assertThat(this.client.sameUnsignedShort(value)).isEqualTo(value);
        }
        for (char value : new char[] {'\0', 'a', '\u00e9', '\u20ac', '\uffff'}) {
            assertThat(this.client.sameChar(value)).isEqualTo(value);
        }
        for (int value : new int[] {Integer.MIN_VALUE, -1, 0, 1, 1_000_000, Integer.MAX_VALUE}) {
            assertThat(this.client.add(value, 0)).isEqualTo(value);
            assertThat(this.client.sameUnsignedInt(value)).isEqualTo(value);
        }
        assertThat(this.client.add(Integer.MAX_VALUE, 1)).isEqualTo(Integer.MIN_VALUE);
        for (long value : new long[] {Long.MIN_VALUE, -1, 0, 1, 1L << 40, Long.MAX_VALUE}) {
            assertThat(this.client.sameLong(value)).isEqualTo(value);
            assertThat(this.client.sameUnsignedLong(value)).isEqualTo(value);
        }
        for (int bits : new int[] {0, 0x8000_0000, Float.floatToRawIntBits(1.5f), 0x7f80_0000, 0x7fa0_0001}) {
            float value = Float.intBitsToFloat(bits);
            assertThat(Float.floatToRawIntBits(this.client.sameFloat(value))).isEqualTo(bits);
        }
        for (long bits : new long[] {0, Long.MIN_VALUE, Double.doubleToRawLongBits(-2.25), 0x7ff0_0000_0000_0000L,
                0x7ff4_0000_0000_0001L}) {
            double value = Double.longBitsToDouble(bits);
            assertThat(Double.doubleToRawLongBits(this.client.sameDouble(value))).isEqualTo(bits);
        }
    }

    @Test
    void referencesBoxesAndVoidTravelAsThroughTheTupleCodec() {
        this.client.remember(-42);
        assertThat(this.echo.remembered).hasValue(-42);
        assertThat(this.client.fortyTwo()).as("no arguments").isEqualTo(42);
        assertThat(this.client.label("n", Long.MIN_VALUE, null, '!')).isEqualTo("n" + Long.MIN_VALUE + "/null!");
        assertThat(this.client.label("", 7, 9, 'x')).isEqualTo("7/9x");
        assertThat(this.client.maybe(true)).isEqualTo(123_456);
        assertThat(this.client.maybe(false)).isNull();
        assertThat(this.client.range(5, 3)).containsExactly(5, 6, 7);
    }

    @Test
    void clientsOfAwaitedSessionsHaveTheirOwnClassAndCallThroughIt() {
        RpcSession session = this.host;
        SessionSource.Awaited awaited = new SessionSource.Awaited() {
            @Override
            public RpcSession runningNow() {
                return session;
            }

            @Override
            public RpcSession await(long deadlineNanos) {
                return session;
            }

            @Override
            public String toString() {
                return "the test's one session";
            }
        };
        Primitives awaiting = RapaceClients.create(Primitives.class, awaited,
                ClientOptions.defaults().withTimeout(Duration.ofSeconds(30)));

        assertThat(RapaceClients.isClientClass(awaiting.getClass())).isTrue();
        assertThat(awaiting.getClass()).isNotSameAs(this.client.getClass());
        assertThat(awaiting.add(20, 22)).isEqualTo(42);
        assertThat(awaiting.range(1, 2)).containsExactly(1, 2);
        assertThat(awaiting.toString()).isEqualTo("RapaceClient[Primitives (" + Primitives.class.getName()
                + ") on the test's one session]");
    }

    @Test
    void defaultMethodsRunInTheClientAndObjectMethodsAreLocal() {
        assertThat(this.client.addTwice(1, 2)).isEqualTo(5);
        assertThat(this.client.toString()).isEqualTo("RapaceClient[Primitives (" + Primitives.class.getName() + ")]");
        assertThat(this.client).isEqualTo(this.client);
        assertThat(this.client).isNotEqualTo(RapaceClients.create(Primitives.class, this.host));
        assertThat(this.client.hashCode()).isEqualTo(System.identityHashCode(this.client));
    }

    @Test
    void anArgumentThatCannotBeEncodedFailsAsThroughTheProxyAndTheWriterIsGivenBack() {
        Primitives proxy = proxyOf(SessionSource.of(this.host));
        assertThat(Proxy.isProxyClass(proxy.getClass())).isTrue();
        for (Primitives caller : List.of(this.client, proxy)) {
            assertThatThrownBy(() -> caller.sameChar('\ud800')).isInstanceOf(PostcardEncodeException.class)
                    .hasMessage(messageOf(() -> proxy.sameChar('\ud800')));
            assertThatThrownBy(() -> caller.label("a", 1, null, '\udfff')).isInstanceOf(PostcardEncodeException.class)
                    .hasMessage(messageOf(() -> proxy.label("a", 1, null, '\udfff')));
            assertThatThrownBy(() -> caller.label(nullString(), 1, null, 'a'))
                    .isInstanceOf(PostcardEncodeException.class)
                    .hasMessage(messageOf(() -> proxy.label(nullString(), 1, null, 'a')));
        }
        assertThat(messageOf(() -> proxy.label("a", 1, null, '\udfff'))).contains("arguments[3]");

        assertThat(bytesPerTypedCall()).as("bytes per call after the failures: the writer was given back").isZero();
    }

    @Test
    void aRefusedSessionIsThrownAndTheWriterIsGivenBack() {
        Primitives refused = RapaceClients.create(Primitives.class, SessionSource.perCall(() -> {
            throw new IllegalStateException("no plugin running");
        }), ClientOptions.defaults());
        assertThat(refused.getClass()).as("one class for every client whose sessions come at once")
                .isSameAs(this.client.getClass());
        assertThatThrownBy(() -> refused.add(1, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("no plugin running");
        assertThat(this.client.add(1, 2)).as("each client calls through its own source").isEqualTo(3);
        assertThatThrownBy(() -> refused.label("a", 1, 2, 'b')).isInstanceOf(IllegalStateException.class);

        assertThat(bytesPerTypedCall()).as("bytes per call after the refusals: the writer was given back").isZero();
    }

    @Test
    void anInterfaceLoadedApartFromRapaceGetsAProxyThatCalls() throws Exception {
        Class<?> isolated = IsolatingLoader.isolatedService();
        assertThat(isolated).isNotSameAs(IsolatedService.class);
        Object implementation = IsolatingLoader.implementation(isolated);
        Path file = this.dir.resolve("isolated.shm");
        RpcSession isolatedHost = RpcSession.start(ShmTransport.create(file, new ShmConfig(64, 4096, 32),
                ShmOptions.defaults()), SessionOptions.defaults());
        RpcSession isolatedPlugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()),
                SessionOptions.defaults().withDispatcher(ServiceDefinition.of(isolated, implementation).dispatcher()));
        try {
            Object client = RapaceClients.create(isolated, isolatedHost, ClientOptions.defaults());
            assertThat(Proxy.isProxyClass(client.getClass())).as("no class of its own in a package rapace cannot "
                    + "define in").isTrue();
            assertThat(isolated.getMethod("triple", int.class).invoke(client, 14)).isEqualTo(42);
        }
        finally {
            isolatedPlugin.close(Duration.ZERO);
            isolatedHost.close(Duration.ZERO);
        }
    }

    /** What the thread allocates per {@code add} of numbers beyond the box cache, once warm. */
    private long bytesPerTypedCall() {
        addRepeatedly();
        long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().threadId());
        addRepeatedly();
        return (THREADS.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before) / CALLS;
    }

    private void addRepeatedly() {
        for (int i = 0; i < CALLS; i++) {
            int sum = this.client.add(1_000 + i, 2_000);
            if (sum != 3_000 + i) {
                throw new AssertionError("unexpected sum " + sum);
            }
        }
    }

    private Primitives proxyOf(SessionSource sessions) {
        ServiceContract contract = ServiceContract.of(Primitives.class);
        return RapaceClients.proxy(contract, CallRouting.of(sessions, ClientOptions.defaults()), "proxy");
    }

    private static String messageOf(Runnable call) {
        try {
            call.run();
        }
        catch (RuntimeException failure) {
            return String.valueOf(failure.getMessage());
        }
        throw new AssertionError("no failure");
    }

    /** A null where the interface declares a non-null {@code String}, as a careless caller passes. */
    private static @Nullable String nullString() {
        return null;
    }
}
