package io.rapace.core.codec;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One run of building codecs: creates the codec of a shape and of every shape inside it, handing out forward
 * references for shapes still being built (recursive types). Not thread-safe; {@link CodecFactory} serialises runs.
 */
final class CodecBuild {

    private final Map<TypeShape, PostcardCodec<@Nullable Object>> cache;

    private final Map<TypeShape, PostcardCodec<@Nullable Object>> built = new HashMap<>();

    private final Map<TypeShape, ForwardCodec> inProgress = new HashMap<>();

    private final Set<TypeShape> recursive = new HashSet<>();

    /** Record components being built, outermost first; left as it is when building fails, to say where. */
    private final List<String> path = new ArrayList<>();

    CodecBuild(Map<TypeShape, PostcardCodec<@Nullable Object>> cache) {
        this.cache = cache;
    }

    /** The codecs this run built, to be published. */
    Map<TypeShape, PostcardCodec<@Nullable Object>> built() {
        return this.built;
    }

    /** Where building was when it failed: {@code " (at Order.items -> Item.tags)"}, or empty at the top. */
    String where() {
        return this.path.isEmpty() ? "" : " (at " + String.join(" -> ", this.path) + ")";
    }

    PostcardCodec<@Nullable Object> codecFor(TypeShape shape) {
        PostcardCodec<@Nullable Object> existing = this.cache.get(shape);
        if (existing == null) {
            existing = this.built.get(shape);
        }
        if (existing != null) {
            return existing;
        }
        ForwardCodec forward = this.inProgress.get(shape);
        if (forward != null) {
            this.recursive.add(shape);
            return forward;
        }
        forward = new ForwardCodec(shape.raw().getSimpleName());
        this.inProgress.put(shape, forward);
        PostcardCodec<@Nullable Object> codec = create(shape);
        if (this.recursive.remove(shape)) {
            codec = new DepthLimitedCodec(codec);
        }
        forward.resolve(codec);
        this.inProgress.remove(shape);
        this.built.put(shape, codec);
        return codec;
    }

    @SuppressWarnings("unchecked")
    private PostcardCodec<@Nullable Object> create(TypeShape shape) {
        Class<?> raw = shape.raw();
        if (shape.nullable()) {
            return nullable(shape);
        }
        checkMarkers(shape);
        ScalarCodec scalar = scalar(raw, shape.unsigned());
        if (scalar != null) {
            return scalar;
        }
        if (raw == byte[].class) {
            PostcardCodec<?> bytes = shape.fixedLength() == TypeShape.NO_FIXED_LENGTH ? ScalarCodec.BYTES
                    : new FixedBytesCodec(shape.fixedLength());
            return (PostcardCodec<@Nullable Object>) bytes;
        }
        if (raw == List.class) {
            return erase(SequenceCodec.list(codecFor(shape.arguments().get(0))));
        }
        if (raw == Set.class) {
            return erase(SequenceCodec.set(codecFor(shape.arguments().get(0))));
        }
        if (raw == Map.class) {
            return erase(new MapCodec(codecFor(shape.arguments().get(0)), codecFor(shape.arguments().get(1))));
        }
        if (raw == Optional.class) {
            return optional(shape);
        }
        if (raw.isEnum()) {
            return erase(new EnumCodec(raw));
        }
        if (raw.isRecord()) {
            return erase(record(shape));
        }
        if (raw.isSealed()) {
            return erase(sealed(raw));
        }
        throw new IllegalArgumentException("unsupported type " + raw.getTypeName() + collectionHint(raw)
                + ": supported are boolean, byte, short, int, long, float, double, char (and their boxes), String, "
                + "byte[], void, List, Set, Map, Optional, records, enums and sealed interfaces of records");
    }

    /** For a concrete or other collection type, which interface to declare instead. */
    private static String collectionHint(Class<?> raw) {
        for (Class<?> supported : List.of(List.class, Set.class, Map.class)) {
            if (supported.isAssignableFrom(raw)) {
                return " (declare it as " + supported.getSimpleName() + ")";
            }
        }
        return "";
    }

    private PostcardCodec<@Nullable Object> nullable(TypeShape shape) {
        Class<?> raw = shape.raw();
        if (raw.isPrimitive()) {
            throw new IllegalArgumentException("@Nullable cannot mark the primitive " + raw.getName()
                    + ": use its box to allow null");
        }
        if (raw == Optional.class) {
            throw new IllegalArgumentException("@Nullable Optional would be Option<Option<T>>, which is not "
                    + "supported: use either @Nullable or Optional");
        }
        if (raw == Void.class) {
            throw new IllegalArgumentException("@Nullable Void is not supported: Option<()> has no Java value");
        }
        return new NullableCodec(codecFor(shape.withNullable(false)));
    }

    private PostcardCodec<@Nullable Object> optional(TypeShape shape) {
        TypeShape element = shape.arguments().get(0);
        if (element.nullable() || element.raw() == Optional.class || element.raw() == Void.class) {
            throw new IllegalArgumentException("Optional<" + element + "> is not supported: Optional holds a "
                    + "non-null value of a type other than Optional and Void");
        }
        return erase(new OptionalCodec(codecFor(element)));
    }

    private static void checkMarkers(TypeShape shape) {
        Class<?> raw = shape.raw();
        if (shape.unsigned() && !isIntegral(raw)) {
            throw new IllegalArgumentException("@Unsigned marks only byte, short, int and long (or their boxes), "
                    + "not " + raw.getTypeName() + (raw == List.class || raw == Set.class || raw == Optional.class
                            ? ": to mark the elements write " + raw.getSimpleName() + "<@Unsigned Integer>" : ""));
        }
        if (shape.fixedLength() != TypeShape.NO_FIXED_LENGTH && raw != byte[].class) {
            throw new IllegalArgumentException("@FixedLength marks only byte[], not " + raw.getTypeName());
        }
    }

    private static boolean isIntegral(Class<?> raw) {
        return raw == byte.class || raw == Byte.class || raw == short.class || raw == Short.class
                || raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class;
    }

    private static @Nullable ScalarCodec scalar(Class<?> raw, boolean unsigned) {
        if (raw == boolean.class || raw == Boolean.class) {
            return ScalarCodec.BOOL;
        }
        if (raw == byte.class || raw == Byte.class) {
            return unsigned ? ScalarCodec.U8 : ScalarCodec.I8;
        }
        if (raw == short.class || raw == Short.class) {
            return unsigned ? ScalarCodec.U16 : ScalarCodec.I16;
        }
        if (raw == int.class || raw == Integer.class) {
            return unsigned ? ScalarCodec.U32 : ScalarCodec.I32;
        }
        if (raw == long.class || raw == Long.class) {
            return unsigned ? ScalarCodec.U64 : ScalarCodec.I64;
        }
        if (raw == float.class || raw == Float.class) {
            return ScalarCodec.F32;
        }
        if (raw == double.class || raw == Double.class) {
            return ScalarCodec.F64;
        }
        if (raw == char.class || raw == Character.class) {
            return ScalarCodec.CHAR;
        }
        if (raw == String.class) {
            return ScalarCodec.STRING;
        }
        if (raw == void.class || raw == Void.class) {
            return ScalarCodec.UNIT;
        }
        return null;
    }

    private RecordCodec record(TypeShape shape) {
        Class<?> type = shape.raw();
        Map<TypeVariable<?>, TypeShape> bindings = bindings(type, shape.arguments());
        RecordComponent[] components = type.getRecordComponents();
        List<RecordComponentCodec> codecs = new ArrayList<>(components.length);
        for (RecordComponent component : components) {
            this.path.add(type.getSimpleName() + "." + component.getName());
            PostcardCodec<@Nullable Object> codec = codecFor(TypeShapes.of(component.getAnnotatedType(), bindings));
            codecs.add(new RecordComponentCodec(component.getName(), RecordHandles.accessor(component), codec));
            this.path.removeLast();
        }
        return new RecordCodec(type, codecs, RecordHandles.canonicalConstructor(type, components));
    }

    private static Map<TypeVariable<?>, TypeShape> bindings(Class<?> type, List<TypeShape> arguments) {
        TypeVariable<?>[] variables = type.getTypeParameters();
        Map<TypeVariable<?>, TypeShape> bindings = new HashMap<>();
        for (int i = 0; i < variables.length && i < arguments.size(); i++) {
            bindings.put(variables[i], arguments.get(i));
        }
        return bindings;
    }

    private SealedCodec sealed(Class<?> type) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException("sealed class " + type.getName() + " is not supported: an enum with "
                    + "data is a sealed interface whose permitted subclasses are records");
        }
        if (type.getTypeParameters().length > 0) {
            throw new IllegalArgumentException("generic sealed interface " + type.getName() + " is not supported");
        }
        List<Class<?>> variants = List.of(type.getPermittedSubclasses());
        List<PostcardCodec<@Nullable Object>> codecs = new ArrayList<>(variants.size());
        for (Class<?> variant : variants) {
            if (!variant.isRecord()) {
                throw new IllegalArgumentException("permitted subclass " + variant.getName() + " of sealed "
                        + type.getName() + " is not a record: every variant of an enum with data must be a record");
            }
            this.path.add(type.getSimpleName() + "::" + variant.getSimpleName());
            codecs.add(codecFor(TypeShapes.of(variant)));
            this.path.removeLast();
        }
        return new SealedCodec(type, variants, codecs);
    }

    @SuppressWarnings("unchecked")
    private static PostcardCodec<@Nullable Object> erase(PostcardCodec<?> codec) {
        return (PostcardCodec<@Nullable Object>) codec;
    }
}
