package io.rapace.core.codec;

import java.lang.reflect.AnnotatedType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.rapace.core.codec.VectorTypes.Item;
import io.rapace.core.codec.VectorTypes.Point;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Building codecs: which Java types are accepted, how unsupported ones are reported, and the cache. */
class CodecBuildTest {

    record HasObject(int id, Object payload) {
    }

    record Outer(String name, Inner inner) {
    }

    record Inner(List<Thread> threads) {
    }

    sealed interface NotAllRecords permits Fine, NotARecord {
    }

    record Fine(int x) implements NotAllRecords {
    }

    static final class NotARecord implements NotAllRecords {
    }

    sealed interface Generic<T> permits GenericVariant {
    }

    record GenericVariant<T>(T value) implements Generic<T> {
    }

    record Page<T>(List<T> items, @Unsigned int total) {
    }

    interface Calculator {
        int add(int a, int b);

        void store(@Unsigned int key, @FixedLength(2) byte[] tag, @Nullable String note);

        void log(String message, @Nullable Object context);
    }

    @Test
    void unsupportedTypeIsNamed() {
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(Object.class))
                .withMessageStartingWith("cannot build a postcard codec for java.lang.Object: unsupported type "
                        + "java.lang.Object");
    }

    @Test
    void unsupportedComponentIsNamedWithItsPath() {
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(HasObject.class))
                .withMessageContaining("unsupported type java.lang.Object")
                .withMessageEndingWith("(at HasObject.payload)");
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(Outer.class))
                .withMessageContaining("unsupported type java.lang.Thread")
                .withMessageEndingWith("(at Outer.inner -> Inner.threads)");
    }

    @Test
    void concreteCollectionsAreRejectedWithAHint() {
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(new TypeRef<java.util.ArrayList<String>>() { }))
                .withMessageContaining("unsupported type java.util.ArrayList (declare it as List)");
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(new TypeRef<java.util.TreeMap<String, Long>>() { }))
                .withMessageContaining("unsupported type java.util.TreeMap (declare it as Map)");
    }

    @Test
    void arraysOtherThanByteArraysAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(new TypeRef<int[]>() { }))
                .withMessageContaining("arrays other than byte[] are not supported, found int[]: use a List");
    }

    @Test
    void rawGenericClassesAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(List.class))
                .withMessageContaining("raw type java.util.List has no type arguments");
    }

    @Test
    void wildcardsAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(new TypeRef<List<? extends Number>>() { }))
                .withMessageContaining("wildcard type ? extends java.lang.Number is not supported");
    }

    @Test
    void markersOnTheWrongTypesAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(new TypeRef<@Unsigned String>() { }))
                .withMessageContaining("@Unsigned marks only byte, short, int and long (or their boxes), not "
                        + "java.lang.String");
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(new TypeRef<@Unsigned List<Integer>>() { }))
                .withMessageContaining("to mark the elements write List<@Unsigned Integer>");
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(new TypeRef<@FixedLength(3) String>() { }))
                .withMessageContaining("@FixedLength marks only byte[], not java.lang.String");
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(new TypeRef<@FixedLength(-1) byte[]>() { }))
                .withMessageContaining("@FixedLength must not be negative: value=-1");
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(new TypeRef<Optional<@Nullable String>>() { }))
                .withMessageContaining("Optional<@Nullable java.lang.String> is not supported");
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(new TypeRef<@Nullable Optional<String>>() { }))
                .withMessageContaining("would be Option<Option<T>>");
    }

    @Test
    void nullableOnAPrimitiveIsRejected() throws Exception {
        record WithNullablePrimitive(@Nullable int value) {
        }
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(WithNullablePrimitive.class))
                .withMessageContaining("@Nullable cannot mark the primitive int: use its box");
    }

    @Test
    void sealedInterfacesNeedRecordVariants() {
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(NotAllRecords.class))
                .withMessageContaining("permitted subclass " + NotARecord.class.getName() + " of sealed "
                        + NotAllRecords.class.getName() + " is not a record");
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.of(new TypeRef<Generic<String>>() { }))
                .withMessageContaining("generic sealed interface");
    }

    @Test
    void typeRefMustBeADirectAnonymousSubclassWithATypeArgument() {
        abstract class Indirect<T> extends TypeRef<T> {
        }
        assertThatIllegalStateException().isThrownBy(() -> new Indirect<String>() { })
                .withMessageContaining("direct anonymous subclass");
    }

    @Test
    void codecsAreCachedByStructureNotByAnnotatedTypeIdentity() throws Exception {
        AnnotatedType first = new TypeRef<List<@Unsigned Integer>>() { }.annotatedType();
        AnnotatedType second = new TypeRef<List<@Unsigned Integer>>() { }.annotatedType();
        AnnotatedType signed = new TypeRef<List<Integer>>() { }.annotatedType();
        assertThat(first).isNotSameAs(second);
        assertThat(Codecs.of(first)).isSameAs(Codecs.of(second));
        assertThat(Codecs.of(first)).isNotSameAs(Codecs.of(signed));
        assertThat(Codecs.of(Point.class)).isSameAs(Codecs.of(Point.class));
    }

    record BuiltConcurrently(List<BuiltConcurrently> children, Map<String, @Unsigned Long> weights) {
    }

    @Test
    void concurrentFirstUsesGetTheSameCodec() throws Exception {
        int threads = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            List<java.util.concurrent.Future<PostcardCodec<BuiltConcurrently>>> results = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(executor.submit(() -> {
                    start.await();
                    return Codecs.of(BuiltConcurrently.class);
                }));
            }
            PostcardCodec<BuiltConcurrently> first = results.get(0).get();
            for (var result : results) {
                assertThat(result.get()).isSameAs(first);
            }
            BuiltConcurrently value = new BuiltConcurrently(List.of(new BuiltConcurrently(List.of(), Map.of())),
                    Map.of("w", -1L));
            assertThat(Codecs.decode(first, Codecs.encode(first, value))).isEqualTo(value);
        }
    }

    @Test
    void codecsNameTheirRustTypes() {
        assertThat(Codecs.of(new TypeRef<Map<String, List<@Unsigned Long>>>() { })).hasToString(
                "HashMap<String, Vec<u64>>");
        assertThat(Codecs.of(new TypeRef<Optional<@FixedLength(16) byte[]>>() { })).hasToString("Option<[u8; 16]>");
        assertThat(Codecs.tuple(List.of(Codecs.of(int.class)))).hasToString("(i32,)");
        assertThat(Codecs.of(Item.class)).hasToString("Item");
    }

    @Test
    void genericRecordsResolveTheirTypeArguments() {
        PostcardCodec<Page<@Unsigned Integer>> unsigned = Codecs.of(new TypeRef<Page<@Unsigned Integer>>() { });
        PostcardCodec<Page<String>> strings = Codecs.of(new TypeRef<Page<String>>() { });
        assertThat(Codecs.encode(unsigned, new Page<>(List.of(-1), 1))).containsExactly(0x01, 0xff, 0xff, 0xff,
                0xff, 0x0f, 0x01);
        assertThat(Codecs.decode(strings, Codecs.encode(strings, new Page<>(List.of("a", "b"), 7))))
                .isEqualTo(new Page<>(List.of("a", "b"), 7));
        assertThat(unsigned).isNotSameAs(strings);
    }

    record OnlyEncoded(int id, String label) {
    }

    @Test
    void aRecordsDecodingHandleIsComposedAtItsFirstDecodeNotWhenItsCodecIsBuilt() {
        RecordCodec codec = (RecordCodec) (PostcardCodec<?>) Codecs.of(OnlyEncoded.class);
        byte[] bytes = Codecs.encode(Codecs.of(OnlyEncoded.class), new OnlyEncoded(7, "seven"));
        assertThat(codec.decoderComposed()).as("built and encoded with, never decoded").isFalse();
        assertThat(Codecs.decode(Codecs.of(OnlyEncoded.class), bytes)).isEqualTo(new OnlyEncoded(7, "seven"));
        assertThat(codec.decoderComposed()).isTrue();
    }

    @Test
    void parametersOfAMethodFormATuple() throws Exception {
        PostcardCodec<@Nullable Object[]> add = Codecs.parameters(Calculator.class.getMethod("add", int.class,
                int.class));
        assertThat(Codecs.encode(add, new Object[] { 2, 3 })).containsExactly(0x04, 0x06);
        PostcardCodec<@Nullable Object[]> store = Codecs.parameters(Calculator.class.getMethod("store", int.class,
                byte[].class, String.class));
        assertThat(Codecs.encode(store, new Object[] { -1, new byte[] { 7, 8 }, null }))
                .containsExactly(0xff, 0xff, 0xff, 0xff, 0x0f, 0x07, 0x08, 0x00);
        assertThatIllegalArgumentException().isThrownBy(() -> Codecs.parameters(Calculator.class.getMethod("log",
                String.class, Object.class)))
                .withMessageStartingWith("parameter 1 (context) of " + Calculator.class.getName() + ".log: ")
                .withMessageContaining("unsupported type java.lang.Object");
    }
}
