package io.rapace.core.service;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.Unsigned;
import io.rapace.core.service.RecordingServerCall.Answer;
import io.rapace.core.session.MethodHandler;
import io.rapace.testsupport.logging.LogCapture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ServerMethodHandlerTest {

    // Failures provoked on purpose are logged: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    interface Shapes {
        int add(int a, int b);

        void touch(String name);

        CompletableFuture<String> future(String name);

        CompletionStage<Integer> stage(int a);

        Mono<String> mono(String name);

        Mono<Void> monoVoid();

        Flux<Integer> range(int n);

        Flux<Integer> failingRange(int n);

        Flux<Integer> asyncRange(int n);

        Flux<Integer> endless();

        String notFound(String key);

        String boom();

        Mono<String> nullMono();

        Mono<@Nullable String> maybe(boolean present);
    }

    static final class ShapesImpl implements Shapes {
        final AtomicBoolean touched = new AtomicBoolean();
        final AtomicBoolean endlessCancelled = new AtomicBoolean();

        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public void touch(String name) {
            this.touched.set(name.equals("me"));
        }

        @Override
        public CompletableFuture<String> future(String name) {
            return CompletableFuture.supplyAsync(() -> "hello " + name);
        }

        @Override
        public CompletionStage<Integer> stage(int a) {
            return CompletableFuture.completedFuture(a * 3);
        }

        @Override
        public Mono<String> mono(String name) {
            return Mono.just(name).map(String::toUpperCase).delayElement(Duration.ofMillis(5));
        }

        @Override
        public Mono<Void> monoVoid() {
            return Mono.empty();
        }

        @Override
        public Flux<Integer> range(int n) {
            return Flux.range(0, n);
        }

        @Override
        public Flux<Integer> failingRange(int n) {
            return Flux.range(0, n).concatWith(Flux.error(new RapaceException(ErrorCode.OUT_OF_RANGE, "too far")));
        }

        @Override
        public Flux<Integer> asyncRange(int n) {
            return Flux.range(0, n).publishOn(Schedulers.parallel());
        }

        @Override
        public Flux<Integer> endless() {
            // Pull-based and endless: emits only what is requested, on the requesting thread.
            return Flux.<Integer, Integer>generate(() -> 0, (next, sink) -> {
                sink.next(next);
                return next + 1;
            }).doOnCancel(() -> this.endlessCancelled.set(true));
        }

        @Override
        public String notFound(String key) {
            throw new RapaceException(ErrorCode.NOT_FOUND, "no " + key);
        }

        @Override
        public String boom() {
            throw new IllegalStateException("kaboom");
        }

        @Override
        public Mono<String> nullMono() {
            return null;
        }

        @Override
        public Mono<String> maybe(boolean present) {
            return present ? Mono.just("here") : Mono.empty();
        }
    }

    private final ShapesImpl impl = new ShapesImpl();

    private final ServiceDefinition definition = ServiceDefinition.of(this.impl);

    @Test
    void plainValue() throws Exception {
        RecordingServerCall call = serve("add", 2, 40);
        assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Response.class,
                r -> assertThat(decode("add", r.payload())).isEqualTo(42));
    }

    @Test
    void voidAnswersWithAnEmptyPayload() throws Exception {
        RecordingServerCall call = serve("touch", "me");
        assertThat(this.impl.touched).isTrue();
        assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Response.class,
                r -> assertThat(r.payload()).isEmpty());
    }

    @Test
    void completableFutureAndCompletionStage() throws Exception {
        assertThat(call("future", "bob")).isEqualTo("hello bob");
        assertThat(call("stage", 5)).isEqualTo(15);
    }

    @Test
    void monoAndEmptyMonoVoid() throws Exception {
        assertThat(call("mono", "bob")).isEqualTo("BOB");
        RecordingServerCall call = serve("mono_void");
        assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Response.class,
                r -> assertThat(r.payload()).isEmpty());
    }

    @Test
    void anEmptyMonoOfANullableTypeIsNone() throws Exception {
        assertThat(call("maybe", true)).isEqualTo("here");
        assertThat(call("maybe", false)).isNull();
        RecordingServerCall call = serve("maybe", false);
        assertThat(((Answer.Response) call.answers().getFirst()).payload()).containsExactly(0x00);
    }

    @Test
    void fluxSendsEachItemThenCompletes() throws Exception {
        RecordingServerCall call = serve("range", 3);
        assertThat(call.answers()).hasSize(4);
        for (int i = 0; i < 3; i++) {
            assertThat(call.answers().get(i)).isInstanceOf(Answer.Item.class);
            assertThat(decode("range", ((Answer.Item) call.answers().get(i)).payload())).isEqualTo(i);
        }
        assertThat(call.answers().get(3)).isInstanceOf(Answer.Complete.class);
    }

    @Test
    void itemsEmittedOnAnotherThreadAreSentInOrderByTheHandlerThread() {
        MethodDefinition method = method("async_range");
        RecordingServerCall call = new RecordingServerCall(method.id(),
                Codecs.encode(method.argumentsCodec(), new Object[] {200}));
        Set<Thread> senders = ConcurrentHashMap.newKeySet();
        call.onItem(() -> senders.add(Thread.currentThread()));
        handle(method, call);
        assertThat(senders).containsExactly(Thread.currentThread());
        assertThat(call.answers()).hasSize(201).last().isInstanceOf(Answer.Complete.class);
        for (int i = 0; i < 200; i++) {
            assertThat(decode("async_range", ((Answer.Item) call.answers().get(i)).payload())).isEqualTo(i);
        }
    }

    @Test
    void fluxErrorMidStreamFailsWithItsCode() throws Exception {
        RecordingServerCall call = serve("failing_range", 2);
        assertThat(call.answers()).hasSize(3);
        assertThat(call.answers().get(2)).isEqualTo(new Answer.Failure(ErrorCode.OUT_OF_RANGE, "too far"));
    }

    @Test
    void cancellingAStreamDisposesTheSubscription() throws Exception {
        MethodDefinition method = method("endless");
        RecordingServerCall call = new RecordingServerCall(method.id(), new byte[0]);
        CountDownLatch firstItems = new CountDownLatch(3);
        call.onItem(firstItems::countDown);
        Thread handlerThread = Thread.ofVirtual().start(() -> handle(method, call));
        assertThat(firstItems.await(30, TimeUnit.SECONDS)).isTrue();
        call.cancel();
        handlerThread.join(Duration.ofSeconds(30));
        assertThat(handlerThread.isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(30)).untilTrue(this.impl.endlessCancelled);
        assertThat(call.answers()).allMatch(a -> a instanceof Answer.Item);
    }

    @Test
    void rapaceExceptionCarriesItsCode() throws Exception {
        RecordingServerCall call = serve("not_found", "k1");
        assertThat(call.answers()).containsExactly(new Answer.Failure(ErrorCode.NOT_FOUND, "no k1"));
    }

    @Test
    void otherExceptionsAreInternal() throws Exception {
        RecordingServerCall call = serve("boom");
        assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(f.message()).contains("Shapes.boom").contains("IllegalStateException").contains("kaboom");
        });
        assertThat(this.logs.messages()).as("the server logs the failure with its stack trace")
                .containsExactly("Shapes.boom failed [java.lang.IllegalStateException: kaboom]");
    }

    @Test
    void nullInsteadOfAMonoIsInternal() throws Exception {
        RecordingServerCall call = serve("null_mono");
        assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(f.message()).contains("returned null instead of a Mono");
        });
    }

    @Test
    void undecodableArgumentsAreInvalidArgument() throws Exception {
        MethodDefinition method = method("add");
        RecordingServerCall call = new RecordingServerCall(method.id(), new byte[] {(byte) 0xFF});
        handle(method, call);
        assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(f.message()).startsWith("cannot decode the arguments of Shapes.add: ");
        });
    }

    @Test
    void trailingBytesAreInvalidArgument() throws Exception {
        MethodDefinition method = method("range");
        byte[] valid = Codecs.encode(method.argumentsCodec(), new Object[] {1});
        byte[] withTrailing = Arrays.copyOf(valid, valid.length + 1);
        RecordingServerCall call = new RecordingServerCall(method.id(), withTrailing);
        handle(method, call);
        assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Failure.class,
                f -> assertThat(f.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    interface Chars {
        char lone();

        int strict(int value);
    }

    @Test
    void aPrimitiveResultThatCannotBeEncodedIsInternalAndAnImplementationsInvalidArgumentIsItsOwn() throws Exception {
        Chars impl = new Chars() {
            @Override
            public char lone() {
                return '\ud800';
            }

            @Override
            public int strict(int value) {
                throw new RapaceException(ErrorCode.INVALID_ARGUMENT, "value " + value + " is too large");
            }
        };
        ServiceDefinition chars = ServiceDefinition.of(Chars.class, impl);
        MethodDefinition lone = chars.contract().methods().getFirst();
        RecordingServerCall call = new RecordingServerCall(lone.id(), new byte[0]);
        chars.dispatcher().lookup(lone.id()).handle(call);
        assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Failure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(f.message()).startsWith("cannot encode the result of Chars.lone: ").contains("surrogate");
        });
        MethodDefinition strict = chars.contract().methods().getLast();
        RecordingServerCall refused = new RecordingServerCall(strict.id(), new byte[] {0x02});
        chars.dispatcher().lookup(strict.id()).handle(refused);
        assertThat(refused.answers()).containsExactly(new Answer.Failure(ErrorCode.INVALID_ARGUMENT,
                "value 1 is too large"));
    }

    interface Unsigneds {
        @Unsigned
        int echo(@Unsigned int value);

        Mono<@Unsigned Long> wrapped(@Unsigned long value);
    }

    @Test
    void markersOnParametersAndResultsReachTheCodec() throws Exception {
        Unsigneds impl = new Unsigneds() {
            @Override
            public int echo(int value) {
                return value + 1;
            }

            @Override
            public Mono<Long> wrapped(long value) {
                return Mono.just(value);
            }
        };
        ServiceDefinition unsigned = ServiceDefinition.of(Unsigneds.class, impl);
        for (MethodDefinition method : unsigned.contract().methods()) {
            // 5 as a u32/u64 varint is 0x05 (zigzag would read it as -3 and write 0x0A for 5).
            RecordingServerCall call = new RecordingServerCall(method.id(), new byte[] {0x05});
            unsigned.dispatcher().lookup(method.id()).handle(call);
            byte expected = method.name().equals("echo") ? (byte) 0x06 : (byte) 0x05;
            assertThat(call.answers()).singleElement().isInstanceOfSatisfying(Answer.Response.class,
                    r -> assertThat(r.payload()).containsExactly(expected));
        }
    }

    private Object call(String name, Object... args) throws Exception {
        RecordingServerCall call = serve(name, args);
        assertThat(call.answers()).singleElement().isInstanceOf(Answer.Response.class);
        return decode(name, ((Answer.Response) call.answers().getFirst()).payload());
    }

    private RecordingServerCall serve(String name, Object... args) {
        MethodDefinition method = method(name);
        RecordingServerCall call = new RecordingServerCall(method.id(), Codecs.encode(method.argumentsCodec(), args));
        handle(method, call);
        return call;
    }

    private void handle(MethodDefinition method, RecordingServerCall call) {
        MethodHandler handler = this.definition.dispatcher().lookup(method.id());
        assertThat(handler).as(method.qualifiedName()).isNotNull();
        try {
            handler.handle(call);
        }
        catch (Exception ex) {
            throw new AssertionError("handlers answer errors themselves, but threw " + ex, ex);
        }
    }

    private Object decode(String name, byte[] payload) {
        PostcardCodec<Object> codec = method(name).resultCodec();
        return Codecs.decode(codec, payload);
    }

    private MethodDefinition method(String name) {
        return this.definition.contract().methods().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }
}
