package io.rapace.core.codec;

import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;

import org.jspecify.annotations.Nullable;

/**
 * Captures a generic, annotated type in source code, for {@link Codecs#of(TypeRef)}:
 * {@code Codecs.of(new TypeRef<List<@Unsigned Integer>>() {})}.
 *
 * @param <T> the captured type
 */
public abstract class TypeRef<T extends @Nullable Object> {

    private final AnnotatedType type;

    /** Captures the type argument of the anonymous subclass being created. */
    protected TypeRef() {
        if (getClass().getSuperclass() != TypeRef.class
                || !(getClass().getAnnotatedSuperclass() instanceof AnnotatedParameterizedType parameterized)) {
            throw new IllegalStateException("create a TypeRef as a direct anonymous subclass with a type argument: "
                    + "new TypeRef<List<String>>() {}");
        }
        this.type = parameterized.getAnnotatedActualTypeArguments()[0];
    }

    /** The captured type, with its annotations. */
    public final AnnotatedType annotatedType() {
        return this.type;
    }

    @Override
    public String toString() {
        return "TypeRef<" + this.type + ">";
    }
}
