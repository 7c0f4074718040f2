package io.rapace.core.codec;

import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.AnnotatedTypeVariable;
import java.lang.reflect.AnnotatedWildcardType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** Turns reflective {@link AnnotatedType}s into {@link TypeShape}s, resolving type variables from bindings. */
final class TypeShapes {

    private TypeShapes() {
    }

    /**
     * The shape of {@code type}, with type variables replaced by {@code bindings}.
     *
     * @throws IllegalArgumentException for wildcards, unbound type variables, raw generic types and arrays other
     *         than {@code byte[]}
     */
    static TypeShape of(AnnotatedType type, Map<TypeVariable<?>, TypeShape> bindings) {
        boolean unsigned = type.isAnnotationPresent(Unsigned.class);
        FixedLength fixed = type.getAnnotation(FixedLength.class);
        boolean nullable = type.isAnnotationPresent(Nullable.class);
        Type javaType = type.getType();
        if (type instanceof AnnotatedTypeVariable) {
            TypeShape bound = bindings.get((TypeVariable<?>) javaType);
            if (bound == null) {
                throw new IllegalArgumentException("type variable " + javaType.getTypeName()
                        + " is not bound to a concrete type: give the codec a concrete type such as Page<String>");
            }
            if (unsigned || fixed != null) {
                throw new IllegalArgumentException("@Unsigned and @FixedLength cannot mark the type variable "
                        + javaType.getTypeName() + ": put them on the type argument instead");
            }
            return nullable ? bound.withNullable(true) : bound;
        }
        if (type instanceof AnnotatedWildcardType) {
            throw new IllegalArgumentException("wildcard type " + javaType.getTypeName()
                    + " is not supported: use a concrete type argument");
        }
        if (type instanceof AnnotatedArrayType array) {
            return byteArray(array, unsigned, fixed, nullable);
        }
        if (type instanceof AnnotatedParameterizedType parameterized) {
            Class<?> raw = (Class<?>) ((ParameterizedType) javaType).getRawType();
            List<TypeShape> arguments = new ArrayList<>();
            for (AnnotatedType argument : parameterized.getAnnotatedActualTypeArguments()) {
                arguments.add(of(argument, bindings));
            }
            return new TypeShape(raw, arguments, unsigned, lengthOf(fixed), nullable);
        }
        if (javaType instanceof Class<?> raw) {
            requireNotGeneric(raw);
            return new TypeShape(raw, List.of(), unsigned, lengthOf(fixed), nullable);
        }
        throw new IllegalArgumentException("unsupported kind of type " + javaType.getTypeName());
    }

    /** The shape of a plain class, which must not be generic. */
    static TypeShape of(Class<?> type) {
        requireNotGeneric(type);
        return TypeShape.of(type);
    }

    private static TypeShape byteArray(AnnotatedArrayType array, boolean unsigned, @Nullable FixedLength fixed,
            boolean nullable) {
        AnnotatedType component = array.getAnnotatedGenericComponentType();
        if (component.getType() != byte.class) {
            throw new IllegalArgumentException("arrays other than byte[] are not supported, found "
                    + array.getType().getTypeName() + ": use a List");
        }
        // "@FixedLength(4) byte[]" annotates the element type in Java's grammar; both spellings mean the array.
        FixedLength length = fixed != null ? fixed : component.getAnnotation(FixedLength.class);
        boolean optional = nullable || component.isAnnotationPresent(Nullable.class);
        if (unsigned) {
            throw new IllegalArgumentException("@Unsigned cannot mark byte[] (Vec<u8> is unsigned already)");
        }
        return new TypeShape(byte[].class, List.of(), false, lengthOf(length), optional);
    }

    private static int lengthOf(@Nullable FixedLength fixed) {
        if (fixed == null) {
            return TypeShape.NO_FIXED_LENGTH;
        }
        if (fixed.value() < 0) {
            throw new IllegalArgumentException("@FixedLength must not be negative: value=" + fixed.value());
        }
        return fixed.value();
    }

    private static void requireNotGeneric(Class<?> raw) {
        if (raw.getTypeParameters().length > 0) {
            throw new IllegalArgumentException("raw type " + raw.getTypeName()
                    + " has no type arguments: pass an AnnotatedType or TypeRef such as "
                    + raw.getSimpleName() + "<String>");
        }
    }
}
