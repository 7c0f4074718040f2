package io.rapace.core.service;

import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.Unboxed;

/**
 * One method of a service as both peers see it: its wire name and id, the Java method it comes from, the
 * shape of its result, and the codecs of its argument tuple and of its result (one stream item for
 * {@link ResultShape#FLUX}). Built once, at startup.
 *
 * @param serviceName the service name, the part before the dot in {@code "Service.method"}
 * @param name the wire method name: {@link RapaceMethod#name()} or the snake_case Java name
 * @param id the method id, {@link MethodIds#methodId(String, String)}
 * @param javaMethod the interface method this definition was read from
 * @param shape how the result is handed back
 * @param argumentsCodec the codec of all arguments as one tuple (spec §6)
 * @param resultCodec the codec of the result or stream item; {@code ()} for {@code void}/{@code Void}
 * @param parameterCodecs the codec of each parameter, in order: the tuple's elements, written one after the other
 */
record MethodDefinition(String serviceName, String name, int id, Method javaMethod, ResultShape shape,
        PostcardCodec<Object[]> argumentsCodec, PostcardCodec<Object> resultCodec,
        List<PostcardCodec<?>> parameterCodecs) {

    /** Copies the codec list. */
    MethodDefinition {
        parameterCodecs = List.copyOf(parameterCodecs);
    }

    /** {@code "Service.method"}, the string whose hash is {@link #id()}. */
    String qualifiedName() {
        return MethodIds.qualifiedName(this.serviceName, this.name);
    }

    /**
     * Whether a call's result travels as its raw bits, without a box: the Java result is a primitive (or
     * {@code void}) whose codec is its scalar codec ({@link Unboxed#hasBits}).
     */
    boolean resultAsBits() {
        return this.javaMethod.getReturnType().isPrimitive() && Unboxed.hasBits(this.resultCodec);
    }

    /** Whether this is a server-streaming method. */
    boolean isStreaming() {
        return this.shape.isStreaming();
    }

    /** The method as the wire knows it. */
    RemoteMethod remote() {
        return new RemoteMethod(this.serviceName, this.name, this.id);
    }

    @Override
    public String toString() {
        return qualifiedName() + " (id " + Integer.toUnsignedLong(this.id) + ", " + this.shape + ", "
                + describe(this.javaMethod) + ")";
    }

    /**
     * Reads the definition of {@code method} in service {@code serviceName}.
     *
     * @throws ServiceDefinitionException when the wire name is empty or a parameter or result type has no codec
     */
    static MethodDefinition of(String serviceName, Method method) {
        String name = wireName(method);
        List<PostcardCodec<?>> parameterCodecs = new ArrayList<>(method.getParameterCount());
        for (Parameter parameter : method.getParameters()) {
            parameterCodecs.add(codecOf(parameter.getAnnotatedType(),
                    "parameter '" + parameter.getName() + "' of " + describe(method)));
        }
        ResultShape shape = ResultShape.of(method.getReturnType());
        AnnotatedType resultType = shape.isWrapper() ? typeArgument(method) : method.getAnnotatedReturnType();
        PostcardCodec<Object> resultCodec = codecOf(resultType, "the result of " + describe(method));
        return new MethodDefinition(serviceName, name, MethodIds.methodId(serviceName, name), method, shape,
                Codecs.tuple(parameterCodecs), resultCodec, parameterCodecs);
    }

    /** {@code Declaring.method(ParamType, ...)}, for messages. */
    static String describe(Method method) {
        StringBuilder out = new StringBuilder(method.getDeclaringClass().getSimpleName()).append('.')
                .append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            out.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return out.append(')').toString();
    }

    private static String wireName(Method method) {
        RapaceMethod annotation = method.getAnnotation(RapaceMethod.class);
        if (annotation == null || annotation.name().isEmpty()) {
            return MethodIds.toSnakeCase(method.getName());
        }
        if (annotation.name().isBlank() || annotation.name().contains(".")) {
            throw new ServiceDefinitionException("@RapaceMethod(name = \"" + annotation.name() + "\") on "
                    + describe(method) + " is not a usable method name: it must not be blank or contain '.'");
        }
        return annotation.name();
    }

    private static AnnotatedType typeArgument(Method method) {
        AnnotatedType returnType = method.getAnnotatedReturnType();
        if (returnType instanceof AnnotatedParameterizedType parameterized) {
            AnnotatedType argument = parameterized.getAnnotatedActualTypeArguments()[0];
            if (argument.getType() instanceof Class<?> || argument instanceof AnnotatedParameterizedType) {
                return argument;
            }
            throw new ServiceDefinitionException("the result type " + returnType.getType() + " of " + describe(method)
                    + " needs a concrete type argument, not " + argument.getType());
        }
        throw new ServiceDefinitionException("the result type of " + describe(method) + " is the raw "
                + method.getReturnType().getSimpleName() + ": give its type argument, e.g. "
                + method.getReturnType().getSimpleName() + "<Integer>");
    }

    @SuppressWarnings("unchecked")
    private static <T> PostcardCodec<T> codecOf(AnnotatedType type, String what) {
        try {
            return (PostcardCodec<T>) Codecs.untyped(type);
        }
        catch (IllegalArgumentException ex) {
            throw new ServiceDefinitionException("no postcard codec for " + what + " (type " + type.getType() + "): "
                    + ex.getMessage(), ex);
        }
    }
}
