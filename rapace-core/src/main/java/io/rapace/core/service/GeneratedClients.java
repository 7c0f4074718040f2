package io.rapace.core.service;

import java.lang.classfile.ClassFile;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.core.codec.Unboxed;
import org.jspecify.annotations.Nullable;

/**
 * Clients as classes of their own: a hidden class in the service interface's package implements the interface, each
 * method invoking a method handle that the class holds as a constant (its class data), so that the JIT compiles a
 * call and the handle's chain as one piece. A plain-value method whose session comes at once writes each argument
 * into the thread's writer as it comes (a primitive one without a box) and, for a primitive result, takes the
 * answer's bits ({@link io.rapace.core.session.RpcSession#callBlockingForBits}): no array, no box, nothing allocated
 * per call. Other methods hand an argument array to the client's {@link CallRouting}, as the JDK's proxy does.
 * Default methods are the interface's own; {@code equals} and {@code hashCode} are identity's, {@code toString}
 * describes the client.
 *
 * <p>One class serves every client of an interface whose sessions come the same way (at once, or awaited): it is
 * made once, and a client is an instance of it holding what its own calls go through (an {@link EncodedBlockingCall}
 * or its routing per method, a field each) and its description. The class is defined through a private lookup in
 * the interface's package; where that is refused (a package not open to rapace, an interface loaded apart from
 * rapace), {@link #create} answers null and the client is a JDK proxy.
 */
final class GeneratedClients {

    /** The generated classes, for {@link RapaceClients#isClientClass}; weak, so that an unused class can go. */
    private static final Set<Class<?>> CLASSES = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private static final MethodHandle ROUTED_CALL;

    private static final MethodHandle TAKE_WRITER;

    private static final MethodHandle RELEASE_AND_RETHROW;

    private static final MethodHandle CALL_FOR_VALUE;

    private static final MethodHandle CALL_FOR_BITS;

    private static final MethodHandle ARGUMENT_FAILURE;

    static {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            ROUTED_CALL = lookup.findVirtual(CallRouting.class, "call",
                    MethodType.methodType(Object.class, MethodDefinition.class, Object[].class));
            TAKE_WRITER = lookup.findStatic(Codecs.class, "takeWriter", MethodType.methodType(PostcardWriter.class));
            RELEASE_AND_RETHROW = lookup.findStatic(GeneratedClients.class, "releaseAndRethrow",
                    MethodType.methodType(void.class, Throwable.class, PostcardWriter.class));
            CALL_FOR_VALUE = lookup.findVirtual(EncodedBlockingCall.class, "callForValue",
                    MethodType.methodType(Object.class, PostcardWriter.class));
            CALL_FOR_BITS = lookup.findVirtual(EncodedBlockingCall.class, "callForBits",
                    MethodType.methodType(long.class, PostcardWriter.class));
            ARGUMENT_FAILURE = lookup.findStatic(Codecs.class, "argumentFailure", MethodType.methodType(
                    RuntimeException.class, RuntimeException.class, int.class, PostcardCodec.class, Object.class));
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private GeneratedClients() {
    }

    /** Per interface, its client classes: one for sessions that come at once, one for awaited ones. */
    private static final ClassValue<ClientClasses> BY_INTERFACE = new ClassValue<>() {
        @Override
        protected ClientClasses computeValue(Class<?> type) {
            return new ClientClasses();
        }
    };

    /**
     * A new client of {@code contract} calling through {@code routing}, whose {@code toString} is
     * {@code description}; null when its class cannot be defined in the interface's package.
     */
    static @Nullable Object create(ServiceContract contract, CallRouting routing, String description) {
        DirectRouting direct = routing instanceof DirectRouting directRouting ? directRouting : null;
        MethodHandle constructor = BY_INTERFACE.get(contract.serviceInterface()).constructor(contract, direct != null);
        if (constructor == null) {
            return null;
        }
        List<MethodDefinition> methods = contract.methods();
        Object[] targets = new Object[methods.size()];
        for (int i = 0; i < targets.length; i++) {
            MethodDefinition method = methods.get(i);
            targets[i] = direct != null && method.shape() == ResultShape.VALUE
                    ? new EncodedBlockingCall(direct.source(), method, direct.timeout()) : routing;
        }
        try {
            return constructor.invoke(targets, description);
        }
        catch (Throwable unexpected) {
            throw new IllegalStateException("could not make a client of " + contract.serviceInterface().getName(),
                    unexpected);
        }
    }

    /** The constructor {@code (Object[] targets, String description)} of an interface's client classes, made once. */
    private static final class ClientClasses {

        /** Stands for "cannot be defined here", so that a refusal is not tried again. */
        private static final MethodHandle REFUSED = MethodHandles.constant(Object.class, "refused");

        private @Nullable MethodHandle direct;

        private @Nullable MethodHandle awaited;

        synchronized @Nullable MethodHandle constructor(ServiceContract contract, boolean direct) {
            MethodHandle made = direct ? this.direct : this.awaited;
            if (made == null) {
                made = define(contract, direct);
                if (direct) {
                    this.direct = made;
                }
                else {
                    this.awaited = made;
                }
            }
            return made == REFUSED ? null : made;
        }
    }

    /** Defines the client class of {@code contract} for sessions that come at once or awaited; its constructor. */
    private static MethodHandle define(ServiceContract contract, boolean direct) {
        Class<?> serviceInterface = contract.serviceInterface();
        List<Object> constants = new ArrayList<>(contract.methods().size());
        for (MethodDefinition method : contract.methods()) {
            constants.add(handleOf(method, direct));
        }
        MethodHandles.Lookup defined = InterfacePackage.defineHidden(serviceInterface,
                classBytes(serviceInterface, contract.methods(), direct), constants);
        if (defined == null) {
            // Not open to rapace, or loaded apart from it: the JDK's proxy can still implement the interface.
            return ClientClasses.REFUSED;
        }
        try {
            Class<?> type = defined.lookupClass();
            CLASSES.add(type);
            return defined.findConstructor(type, MethodType.methodType(void.class, Object[].class, String.class))
                    .asType(MethodType.methodType(Object.class, Object[].class, String.class));
        }
        catch (IllegalAccessException refused) {
            return ClientClasses.REFUSED;
        }
        catch (NoSuchMethodException unexpected) {
            throw new IllegalStateException("the client class of " + serviceInterface.getName() + " has no constructor",
                    unexpected);
        }
    }

    /** Whether {@code type} is the class of a client {@link #create} made. */
    static boolean isGenerated(Class<?> type) {
        return type.isHidden() && CLASSES.contains(type);
    }

    /**
     * The class: a field per remote method (what its calls go through) and the description, set by the constructor
     * {@code (Object[] targets, String description)}; a method per remote method, which invokes the handle at its
     * index with its field and its arguments; {@code toString}.
     */
    private static byte[] classBytes(Class<?> serviceInterface, List<MethodDefinition> methods, boolean direct) {
        ClassDesc self = ClassDesc.of(serviceInterface.getName() + (direct ? "$RapaceClient" : "$RapaceAwaitingClient"));
        ClassDesc implemented = ClassDesc.of(serviceInterface.getName());
        MethodTypeDesc constructor = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object.arrayType(),
                ConstantDescs.CD_String);
        return ClassFile.of().build(self, type -> {
            type.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER | ClassFile.ACC_SYNTHETIC);
            type.withInterfaceSymbols(implemented);
            for (int index = 0; index < methods.size(); index++) {
                type.withField("target" + index, ConstantDescs.CD_Object, ClassFile.ACC_PRIVATE | ClassFile.ACC_FINAL);
            }
            type.withField("description", ConstantDescs.CD_String, ClassFile.ACC_PRIVATE | ClassFile.ACC_FINAL);
            type.withMethodBody(ConstantDescs.INIT_NAME, constructor, ClassFile.ACC_PUBLIC, code -> {
                code.aload(0).invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void);
                for (int index = 0; index < methods.size(); index++) {
                    code.aload(0).aload(1).ldc(index).aaload()
                            .putfield(self, "target" + index, ConstantDescs.CD_Object);
                }
                code.aload(0).aload(2).putfield(self, "description", ConstantDescs.CD_String).return_();
            });
            for (int index = 0; index < methods.size(); index++) {
                Method method = methods.get(index).javaMethod();
                MethodType javaType = MethodType.methodType(method.getReturnType(), method.getParameterTypes());
                MethodTypeDesc descriptor = MethodTypeDesc.ofDescriptor(javaType.toMethodDescriptorString());
                MethodTypeDesc withTarget = MethodTypeDesc.ofDescriptor(
                        javaType.insertParameterTypes(0, Object.class).toMethodDescriptorString());
                DynamicConstantDesc<?> handle = classData(index, ConstantDescs.CD_MethodHandle);
                String field = "target" + index;
                type.withMethodBody(method.getName(), descriptor, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, code -> {
                    code.ldc(handle).aload(0).getfield(self, field, ConstantDescs.CD_Object);
                    int slot = 1;
                    for (Class<?> parameter : method.getParameterTypes()) {
                        TypeKind kind = TypeKind.from(parameter);
                        code.loadLocal(kind, slot);
                        slot += kind.slotSize();
                    }
                    code.invokevirtual(ConstantDescs.CD_MethodHandle, "invokeExact", withTarget);
                    code.return_(TypeKind.from(method.getReturnType()));
                });
            }
            type.withMethodBody("toString", MethodTypeDesc.of(ConstantDescs.CD_String),
                    ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL,
                    code -> code.aload(0).getfield(self, "description", ConstantDescs.CD_String).areturn());
        });
    }

    private static DynamicConstantDesc<?> classData(int index, ClassDesc type) {
        return DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME, type, index);
    }

    /**
     * The handle of one method: the method's type with a leading {@code Object}, the client's target for it (an
     * {@link EncodedBlockingCall} for a plain value whose sessions come at once, else the client's routing).
     */
    private static MethodHandle handleOf(MethodDefinition method, boolean direct) {
        Method javaMethod = method.javaMethod();
        MethodType type = MethodType.methodType(javaMethod.getReturnType(), javaMethod.getParameterTypes())
                .insertParameterTypes(0, Object.class);
        if (method.shape() == ResultShape.VALUE && direct) {
            return encodedBlocking(method).asType(type);
        }
        // Every other call takes its arguments as an array, as through the JDK's proxy.
        return MethodHandles.insertArguments(ROUTED_CALL, 1, method)
                .asCollector(Object[].class, javaMethod.getParameterCount()).asType(type);
    }

    /**
     * {@code (EncodedBlockingCall, P...)R}: takes the thread's writer, writes each argument into it (giving it back
     * if one fails), then the {@link EncodedBlockingCall} calls; a primitive result comes back as bits, turned into
     * the value.
     */
    private static MethodHandle encodedBlocking(MethodDefinition method) {
        Method javaMethod = method.javaMethod();
        List<Class<?>> parameters = Arrays.asList(javaMethod.getParameterTypes());
        MethodHandle encodeAll = MethodHandles.empty(MethodType.methodType(void.class, PostcardWriter.class)
                .appendParameterTypes(parameters));
        for (int i = parameters.size() - 1; i >= 0; i--) {
            // Folded from the last: the fold made last runs first, so arguments are written in order.
            MethodHandle encodeOne = MethodHandles.dropArguments(encoder(method.parameterCodecs().get(i),
                    parameters.get(i), i), 1, parameters.subList(0, i));
            encodeAll = MethodHandles.foldArguments(encodeAll, 0, encodeOne);
        }
        MethodHandle encodeOrRelease = MethodHandles.catchException(encodeAll, Throwable.class,
                MethodHandles.dropArguments(RELEASE_AND_RETHROW, 2, parameters));
        Class<?> result = javaMethod.getReturnType();
        boolean bits = method.resultAsBits();
        MethodHandle call = bits ? CALL_FOR_BITS : CALL_FOR_VALUE;  // (EncodedBlockingCall, PostcardWriter)R'
        // (writer, call, P...)R': the arguments written, then the call made.
        MethodHandle afterEncoding = MethodHandles.foldArguments(
                MethodHandles.dropArguments(MethodHandles.permuteArguments(call, MethodType.methodType(
                        call.type().returnType(), PostcardWriter.class, EncodedBlockingCall.class), 1, 0), 2, parameters),
                0, MethodHandles.dropArguments(encodeOrRelease, 1, EncodedBlockingCall.class));
        MethodHandle whole = MethodHandles.foldArguments(afterEncoding, 0, TAKE_WRITER);
        return bits ? MethodHandles.filterReturnValue(whole, Unboxed.fromBits(result)) : whole;
    }

    /**
     * {@code (PostcardWriter, type)void}: writes argument {@code index} as the tuple codec would (a primitive without
     * its box where the codec allows), a failure reported as the tuple codec reports it ({@link Codecs#argumentFailure}).
     */
    private static MethodHandle encoder(PostcardCodec<?> codec, Class<?> type, int index) {
        // (RuntimeException, writer, value)void: only a failure boxes the value, to name its class.
        MethodHandle reported = MethodHandles.filterReturnValue(MethodHandles.insertArguments(ARGUMENT_FAILURE, 1,
                index, codec), MethodHandles.throwException(void.class, RuntimeException.class));
        MethodHandle rethrow = MethodHandles.dropArguments(reported, 1, PostcardWriter.class)
                .asType(MethodType.methodType(void.class, RuntimeException.class, PostcardWriter.class, type));
        return MethodHandles.catchException(Unboxed.writer(codec, type), RuntimeException.class, rethrow);
    }

    /** Gives the writer back when an argument could not be written, and rethrows. */
    private static void releaseAndRethrow(Throwable failure, PostcardWriter request) throws Throwable {
        Codecs.releaseWriter(request);
        throw failure;
    }
}
