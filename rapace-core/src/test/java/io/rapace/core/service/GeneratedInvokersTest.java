package io.rapace.core.service;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.rapace.core.ErrorCode;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.Unsigned;
import io.rapace.core.service.RecordingServerCall.Answer;
import io.rapace.core.session.MethodHandler;
import io.rapace.testsupport.logging.LogCapture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served methods' generated class ({@link GeneratedInvokers}) against the composed handles it stands in for
 * ({@link ServedInvoker}): for every kind of parameter and result, the same request answers the same bytes through
 * both, and both answer what the codec writes for the expected value. An interface whose loader cannot see rapace
 * gets no class, and is served through the handles.
 */
class GeneratedInvokersTest {

    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    public record Point(int x, @Nullable String label) {
    }

    /** One method per kind of argument and result. */
    public interface Everything {

        boolean not(boolean value);

        byte nextByte(byte value);

        short nextShort(short value);

        int add(int a, int b);

        long nextLong(long value);

        float half(float value);

        double twice(double value);

        char upper(char value);

        @Unsigned
        int unsignedNext(@Unsigned int value);

        @Unsigned
        long unsignedLong(@Unsigned long value);

        @Unsigned
        short unsignedShort(@Unsigned short value);

        @Nullable
        Integer boxed(@Nullable Integer value);

        String greet(String name, char mark, int times);

        Point move(Point point, long dx);

        void touch(String name);

        int none();

        Mono<Integer> later(int value);
    }

    static final class EverythingImpl implements Everything {

        @Override
        public boolean not(boolean value) {
            return !value;
        }

        @Override
        public byte nextByte(byte value) {
            return (byte) (value + 1);
        }

        @Override
        public short nextShort(short value) {
            return (short) (value + 1);
        }

        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public long nextLong(long value) {
            return value + 1;
        }

        @Override
        public float half(float value) {
            return value / 2;
        }

        @Override
        public double twice(double value) {
            return value * 2;
        }

        @Override
        public char upper(char value) {
            return Character.toUpperCase(value);
        }

        @Override
        public int unsignedNext(int value) {
            return value + 1;
        }

        @Override
        public long unsignedLong(long value) {
            return value;
        }

        @Override
        public short unsignedShort(short value) {
            return (short) (value - 1);
        }

        @Override
        public @Nullable Integer boxed(@Nullable Integer value) {
            return value == null ? null : value + 1;
        }

        @Override
        public String greet(String name, char mark, int times) {
            return (name + mark).repeat(times);
        }

        @Override
        public Point move(Point point, long dx) {
            return new Point((int) (point.x() + dx), point.label());
        }

        @Override
        public void touch(String name) {
        }

        @Override
        public int none() {
            return 7;
        }

        @Override
        public Mono<Integer> later(int value) {
            return Mono.just(value);
        }
    }

    private final EverythingImpl impl = new EverythingImpl();

    private final ServiceContract contract = ServiceContract.of(Everything.class, "Everything");

    @Test
    void everyKindOfArgumentAndResultAnswersAsTheComposedHandlesAndTheCodecDo() throws Exception {
        List<MethodHandle> generated = GeneratedInvokers.of(Everything.class, this.contract.methods(), this.impl);
        assertThat(generated).as("the class is defined where the interface is open").isNotNull()
                .hasSameSizeAs(this.contract.methods());
        check("not", new Object[] {true}, false, generated);
        check("nextByte", new Object[] {(byte) -128}, (byte) -127, generated);
        check("nextShort", new Object[] {(short) -2}, (short) -1, generated);
        check("add", new Object[] {-40, 82}, 42, generated);
        check("nextLong", new Object[] {Long.MAX_VALUE - 1}, Long.MAX_VALUE, generated);
        check("half", new Object[] {-3.0f}, -1.5f, generated);
        check("twice", new Object[] {1.25}, 2.5, generated);
        check("upper", new Object[] {'é'}, 'É', generated);
        check("unsignedNext", new Object[] {-2}, -1, generated);
        check("unsignedLong", new Object[] {-1L}, -1L, generated);
        check("unsignedShort", new Object[] {(short) 0}, (short) -1, generated);
        check("boxed", new Object[] {41}, 42, generated);
        check("boxed", new Object[] {null}, null, generated);
        check("greet", new Object[] {"ab", '!', 2}, "ab!ab!", generated);
        check("move", new Object[] {new Point(1, "p"), 2L}, new Point(3, "p"), generated);
        check("none", new Object[] {}, 7, generated);
        check("later", new Object[] {5}, 5, generated);
        for (MethodHandler handler : handlers("touch", generated)) {
            RecordingServerCall call = call("touch", "me");
            handler.handle(call);
            assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Response.class,
                    r -> assertThat(r.payload()).isEmpty());
        }
    }

    /** A private interface, with a private implementation: reached from the class in its package all the same. */
    private interface Secret {
        long secret(long value);
    }

    @Test
    void aPrivateInterfaceIsServedThroughItsClass() throws Exception {
        Secret secret = value -> value ^ 0x5A;
        ServiceDefinition definition = ServiceDefinition.of(Secret.class, secret);
        MethodDefinition method = definition.contract().methods().getFirst();
        assertThat(GeneratedInvokers.of(Secret.class, definition.contract().methods(), secret)).isNotNull();
        RecordingServerCall call = new RecordingServerCall(method.id(),
                Codecs.encode(method.argumentsCodec(), new Object[] {0x0FL}));
        Objects.requireNonNull(definition.dispatcher().lookup(method.id())).handle(call);
        assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Response.class,
                r -> assertThat(Codecs.decode(method.resultCodec(), r.payload())).isEqualTo(0x55L));
    }

    @Test
    void aFailedReadOrTrailingBytesAreTheRequestsFaultThroughBoth() throws Exception {
        List<MethodHandle> generated = GeneratedInvokers.of(Everything.class, this.contract.methods(), this.impl);
        MethodDefinition upper = method("upper");
        byte[] surrogate = {3, (byte) 0xF0, (byte) 0x9F, (byte) 0x98};  // a char of a truncated 4-byte sequence
        byte[] twoChars = Codecs.encode(upper.argumentsCodec(), new Object[] {'a'});
        byte[] trailing = Arrays.copyOf(twoChars, twoChars.length + 1);
        for (MethodHandler handler : handlers("upper", generated)) {
            for (byte[] request : List.of(surrogate, trailing)) {
                RecordingServerCall call = new RecordingServerCall(upper.id(), request);
                handler.handle(call);
                assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Failure.class, f -> {
                    assertThat(f.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(f.message()).startsWith("cannot decode the arguments of ").contains("upper");
                });
            }
        }
    }

    @Test
    void anInterfaceWhoseLoaderCannotSeeRapaceIsServedThroughTheComposedHandles() throws Exception {
        Class<?> isolated = IsolatingLoader.isolatedService();
        assertThat(isolated).isNotSameAs(IsolatedService.class);
        Object implementation = IsolatingLoader.implementation(isolated);
        ServiceDefinition definition = ServiceDefinition.of(isolated, implementation);
        MethodDefinition triple = definition.contract().methods().getFirst();
        assertThat(GeneratedInvokers.of(isolated, definition.contract().methods(), implementation)).isNull();
        RecordingServerCall call = new RecordingServerCall(triple.id(),
                Codecs.encode(triple.argumentsCodec(), new Object[] {14}));
        Objects.requireNonNull(definition.dispatcher().lookup(triple.id())).handle(call);
        assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Response.class,
                r -> assertThat(Codecs.decode(triple.resultCodec(), r.payload())).isEqualTo(42));
    }

    /** The request of {@code args} answers {@code expected}, encoded by the result codec, through both ways. */
    private void check(String name, Object[] args, @Nullable Object expected, @Nullable List<MethodHandle> generated)
            throws Exception {
        MethodDefinition method = method(name);
        byte[] answer = Codecs.encode(method.resultCodec(), expected);
        for (MethodHandler handler : handlers(name, generated)) {
            RecordingServerCall call = call(name, args);
            handler.handle(call);
            assertThat(call.answers()).as(name).singleElement().isInstanceOfSatisfying(Answer.Response.class,
                    r -> assertThat(r.payload()).as(name).containsExactly(answer));
        }
    }

    /** The method's handler through the generated class, then through the composed handles. */
    private List<MethodHandler> handlers(String name, @Nullable List<MethodHandle> generated) throws Exception {
        MethodDefinition method = method(name);
        MethodHandle target = MethodHandles.lookup().unreflect(method.javaMethod()).bindTo(this.impl);
        MethodHandle viaClass = Objects.requireNonNull(generated).get(this.contract.methods().indexOf(method));
        return List.of(new ServerMethodHandler(method, viaClass, false),
                new ServerMethodHandler(method, ServedInvoker.of(method, target), false));
    }

    private RecordingServerCall call(String name, Object... args) {
        MethodDefinition method = method(name);
        return new RecordingServerCall(method.id(), Codecs.encode(method.argumentsCodec(), args));
    }

    private MethodDefinition method(String name) {
        return this.contract.methods().stream().filter(m -> m.javaMethod().getName().equals(name)).findFirst()
                .orElseThrow();
    }
}
