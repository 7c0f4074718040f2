package io.rapace.core.service;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.core.codec.Unboxed;
import org.jspecify.annotations.Nullable;

/**
 * Clients as classes of their own: a hidden class in the service interface's package implements the interface. A
 * plain-value method whose session comes at once is plain bytecode: it takes the thread's writer, writes each argument
 * into it (a primitive through the writer's own method, without a box; anything else through its codec), and hands
 * the writer to its {@link EncodedBlockingCall}, which takes a primitive answer as its bits
 * ({@link io.rapace.core.session.RpcSession#callBlockingForBits}): no array, no box, nothing allocated per call.
 * Other methods invoke a method handle that hands an argument array to the client's {@link CallRouting}, as the
 * JDK's proxy does. Default methods are the interface's own; {@code equals} and {@code hashCode} are identity's,
 * {@code toString} describes the client.
 *
 * <p>One class serves every client of an interface whose sessions come the same way (at once, or awaited): it is
 * made once, and a client is an instance of it holding what its own calls go through (an {@link EncodedBlockingCall}
 * or its routing per method, a field each) and its description. The class is defined through a private lookup in
 * the interface's package; where that is refused (a package not open to rapace, an interface loaded apart from
 * rapace, a loader that does not see rapace's types as rapace does), {@link #create} answers null and the client is
 * a JDK proxy.
 *
 * <p>Plain bytecode rather than a chain of method handles per method: the JDK spins and compiles a class for each
 * form and species of such a chain, and a fresh JVM took 55-66 ms to make its first client of a one-method interface.
 */
final class GeneratedClients {

    /** The generated classes, for {@link RapaceClients#isClientClass}; weak, so that an unused class can go. */
    private static final Set<Class<?>> CLASSES = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private static final ClassDesc WRITER = ClassDesc.of(PostcardWriter.class.getName());

    private static final ClassDesc CODEC = ClassDesc.of(PostcardCodec.class.getName());

    private static final ClassDesc CODECS = ClassDesc.of(Codecs.class.getName());

    private static final ClassDesc RUNTIME_EXCEPTION = ClassDesc.of(RuntimeException.class.getName());

    private static final ClassDesc FOR_BITS = ClassDesc.of(ToLongFunction.class.getName());

    private static final ClassDesc FOR_VALUE = ClassDesc.of(Function.class.getName());

    private static final MethodTypeDesc TAKE_WRITER = MethodTypeDesc.of(WRITER);

    private static final MethodTypeDesc RELEASE_WRITER = MethodTypeDesc.of(ConstantDescs.CD_void, WRITER);

    private static final MethodTypeDesc ENCODE = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_Object,
            WRITER);

    private static final MethodTypeDesc ARGUMENT_FAILURE = MethodTypeDesc.of(RUNTIME_EXCEPTION, RUNTIME_EXCEPTION,
            ConstantDescs.CD_int, CODEC, ConstantDescs.CD_Object);

    private static final MethodTypeDesc APPLY_AS_LONG = MethodTypeDesc.of(ConstantDescs.CD_long,
            ConstantDescs.CD_Object);

    private static final MethodTypeDesc APPLY = MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_Object);

    private static final MethodTypeDesc CONSTRUCTOR = MethodTypeDesc.of(ConstantDescs.CD_void,
            ConstantDescs.CD_Object.arrayType(), ConstantDescs.CD_String);

    private static final MethodHandle ROUTED_CALL;

    static {
        try {
            ROUTED_CALL = MethodHandles.lookup().findVirtual(CallRouting.class, "call",
                    MethodType.methodType(Object.class, MethodDefinition.class, Object[].class));
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
            targets[i] = direct != null && encodesItself(method)
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

    /** Whether {@code type} is the class of a client {@link #create} made. */
    static boolean isGenerated(Class<?> type) {
        return type.isHidden() && CLASSES.contains(type);
    }

    /**
     * Whether {@code method}, in a client whose sessions come at once, encodes its arguments itself, in its class's
     * bytecode: its target is then an {@link EncodedBlockingCall}, else the client's routing (as in every method of a
     * client whose sessions are awaited).
     */
    private static boolean encodesItself(MethodDefinition method) {
        return method.shape() == ResultShape.VALUE;
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

    /** Defines the client class of {@code contract} for sessions that come at once or awaited. */
    private static MethodHandle define(ServiceContract contract, boolean direct) {
        Class<?> serviceInterface = contract.serviceInterface();
        ClassDesc self = ClassDesc.of(serviceInterface.getName() + (direct ? "$RapaceClient" : "$RapaceAwaitingClient"));
        ClassConstants constants = new ClassConstants(self);
        byte[] bytes = ClassFile.of().build(self, new ClientClassBuilder(self, ClassDesc.of(serviceInterface.getName()),
                contract.methods(), direct, constants));
        MethodHandles.Lookup defined = InterfacePackage.defineHidden(serviceInterface, bytes, constants.values());
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

    /**
     * Builds the class: a field per remote method (what its calls go through) and the description, set by the
     * constructor {@code (Object[] targets, String description)}; a method per remote method; {@code toString}; the
     * constants the methods use. A class, not a lambda, as every builder here: each lambda costs a cold JVM a class.
     */
    private record ClientClassBuilder(ClassDesc self, ClassDesc implemented, List<MethodDefinition> methods,
            boolean direct, ClassConstants constants) implements Consumer<ClassBuilder> {

        @Override
        public void accept(ClassBuilder type) {
            type.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER | ClassFile.ACC_SYNTHETIC);
            type.withInterfaceSymbols(this.implemented);
            for (int index = 0; index < this.methods.size(); index++) {
                type.withField(target(index), targetType(index), ClassFile.ACC_PRIVATE | ClassFile.ACC_FINAL);
            }
            type.withField("description", ConstantDescs.CD_String, ClassFile.ACC_PRIVATE | ClassFile.ACC_FINAL);
            type.withMethodBody(ConstantDescs.INIT_NAME, CONSTRUCTOR, ClassFile.ACC_PUBLIC, new Constructor(this));
            for (int index = 0; index < this.methods.size(); index++) {
                Method method = this.methods.get(index).javaMethod();
                type.withMethodBody(method.getName(), ValueCode.descriptorOf(method),
                        ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, new ClientMethod(this, index));
            }
            type.withMethodBody("toString", MethodTypeDesc.of(ConstantDescs.CD_String),
                    ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, new Describe(this.self));
            this.constants.declare(type);
        }

        /** Whether method {@code index} encodes its arguments itself. */
        boolean encodes(int index) {
            return this.direct && encodesItself(this.methods.get(index));
        }

        /** The type of method {@code index}'s field: what its body calls. */
        ClassDesc targetType(int index) {
            if (!encodes(index)) {
                return ConstantDescs.CD_Object;
            }
            return this.methods.get(index).resultAsBits() ? FOR_BITS : FOR_VALUE;
        }

        static String target(int index) {
            return "target" + index;
        }
    }

    /** The constructor: each target from the array into its field, the description. */
    private record Constructor(ClientClassBuilder type) implements Consumer<CodeBuilder> {

        @Override
        public void accept(CodeBuilder code) {
            code.aload(0).invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void);
            for (int index = 0; index < this.type.methods().size(); index++) {
                ClassDesc fieldType = this.type.targetType(index);
                code.aload(0).aload(1).loadConstant(index).aaload().checkcast(fieldType)
                        .putfield(this.type.self(), ClientClassBuilder.target(index), fieldType);
            }
            code.aload(0).aload(2).putfield(this.type.self(), "description", ConstantDescs.CD_String).return_();
        }
    }

    /** {@code toString}: the description. */
    private record Describe(ClassDesc self) implements Consumer<CodeBuilder> {

        @Override
        public void accept(CodeBuilder code) {
            code.aload(0).getfield(this.self, "description", ConstantDescs.CD_String).areturn();
        }
    }

    /** One remote method's body: its arguments encoded here, or handed to the routing. */
    private record ClientMethod(ClientClassBuilder type, int index) implements Consumer<CodeBuilder> {

        @Override
        public void accept(CodeBuilder code) {
            MethodDefinition method = this.type.methods().get(this.index);
            if (this.type.encodes(this.index)) {
                encoded(code, method);
            }
            else {
                routed(code, method);
            }
        }

        /**
         * The thread's writer taken; each argument written (a failure reported as the tuple codec reports it,
         * {@link Codecs#argumentFailure}, and the writer given back); the call; the answer as the method's type.
         */
        private void encoded(CodeBuilder code, MethodDefinition method) {
            Method javaMethod = method.javaMethod();
            int writer = code.allocateLocal(TypeKind.REFERENCE);
            code.invokestatic(CODECS, "takeWriter", TAKE_WRITER).astore(writer);
            if (javaMethod.getParameterCount() > 0) {
                // (A try block may not be empty.)
                code.trying(new WriteArguments(this.type.constants(), method, writer), new GiveBack(writer));
            }
            ClassDesc targetType = this.type.targetType(this.index);
            code.aload(0).getfield(this.type.self(), ClientClassBuilder.target(this.index), targetType).aload(writer);
            Class<?> result = javaMethod.getReturnType();
            if (method.resultAsBits()) {
                code.invokeinterface(FOR_BITS, "applyAsLong", APPLY_AS_LONG);
                ValueCode.fromBits(code, result);
            }
            else {
                code.invokeinterface(FOR_VALUE, "apply", APPLY);
                ValueCode.fromObject(code, result);
            }
            code.return_(TypeKind.from(result));
        }

        /** The handle that hands the arguments, as an array, to the routing held in the method's field. */
        private void routed(CodeBuilder code, MethodDefinition method) {
            Method javaMethod = method.javaMethod();
            MethodType javaType = MethodType.methodType(javaMethod.getReturnType(), javaMethod.getParameterTypes())
                    .insertParameterTypes(0, Object.class);
            MethodHandle handle = MethodHandles.insertArguments(ROUTED_CALL, 1, method)
                    .asCollector(Object[].class, javaMethod.getParameterCount()).asType(javaType);
            this.type.constants().push(code, handle, ConstantDescs.CD_MethodHandle);
            code.aload(0).getfield(this.type.self(), ClientClassBuilder.target(this.index), ConstantDescs.CD_Object);
            int slot = 1;
            for (Class<?> parameter : javaMethod.getParameterTypes()) {
                TypeKind kind = TypeKind.from(parameter);
                code.loadLocal(kind, slot);
                slot += kind.slotSize();
            }
            code.invokevirtual(ConstantDescs.CD_MethodHandle, "invokeExact",
                    MethodTypeDesc.ofDescriptor(javaType.toMethodDescriptorString()));
            code.return_(TypeKind.from(javaMethod.getReturnType()));
        }
    }

    /**
     * Writes each argument into the writer (local {@code writer}): a primitive whose scalar codec it is through the
     * writer's own method ({@link Unboxed#writerMethod}), anything else through its codec's {@code encode}; a
     * {@link RuntimeException} becomes {@link Codecs#argumentFailure}'s, which boxes the value only then.
     */
    private record WriteArguments(ClassConstants constants, MethodDefinition method, int writer)
            implements Consumer<CodeBuilder.BlockCodeBuilder> {

        @Override
        public void accept(CodeBuilder.BlockCodeBuilder code) {
            Class<?>[] parameters = this.method.javaMethod().getParameterTypes();
            int slot = 1;
            for (int k = 0; k < parameters.length; k++) {
                Argument argument = new Argument(this.constants, this.method.parameterCodecs().get(k), parameters[k],
                        k, slot, this.writer);
                code.trying(argument, new ArgumentFailure(argument));
                slot += TypeKind.from(parameters[k]).slotSize();
            }
        }
    }

    /** Argument {@code index} of {@code type}, in local {@code slot}, written as {@code codec} writes it. */
    private record Argument(ClassConstants constants, PostcardCodec<?> codec, Class<?> type, int index, int slot,
            int writer) implements Consumer<CodeBuilder.BlockCodeBuilder> {

        @Override
        public void accept(CodeBuilder.BlockCodeBuilder code) {
            String writerMethod = Unboxed.writerMethod(this.codec, this.type);
            if (writerMethod != null) {
                code.aload(this.writer);
                code.loadLocal(TypeKind.from(this.type), this.slot);
                code.invokevirtual(WRITER, writerMethod, MethodTypeDesc.of(ConstantDescs.CD_void,
                        ValueCode.descriptorOf(Unboxed.writerParameter(this.type))));
                return;
            }
            this.constants.push(code, this.codec, CODEC);
            pushBoxed(code);
            code.aload(this.writer).invokeinterface(CODEC, "encode", ENCODE);
        }

        /** Pushes the argument as an {@code Object}. */
        void pushBoxed(CodeBuilder code) {
            code.loadLocal(TypeKind.from(this.type), this.slot);
            ValueCode.toObject(code, this.type);
        }
    }

    /** The failure of one argument's write, reported with its index, codec and value. */
    private record ArgumentFailure(Argument argument) implements Consumer<CodeBuilder.CatchBuilder> {

        @Override
        public void accept(CodeBuilder.CatchBuilder catches) {
            catches.catching(RUNTIME_EXCEPTION, new ReportFailure(this.argument));
        }
    }

    /** With the {@link RuntimeException} on the stack: throws {@link Codecs#argumentFailure}'s answer. */
    private record ReportFailure(Argument argument) implements Consumer<CodeBuilder.BlockCodeBuilder> {

        @Override
        public void accept(CodeBuilder.BlockCodeBuilder code) {
            code.loadConstant(this.argument.index());
            this.argument.constants().push(code, this.argument.codec(), CODEC);
            this.argument.pushBoxed(code);
            code.invokestatic(CODECS, "argumentFailure", ARGUMENT_FAILURE).athrow();
        }
    }

    /** Whatever the writing of the arguments threw: the writer given back, the failure rethrown. */
    private record GiveBack(int writer) implements Consumer<CodeBuilder.CatchBuilder> {

        @Override
        public void accept(CodeBuilder.CatchBuilder catches) {
            catches.catchingAll(new ReleaseAndRethrow(this.writer));
        }
    }

    /** With the failure on the stack: gives the writer (local {@code writer}) back and rethrows. */
    private record ReleaseAndRethrow(int writer) implements Consumer<CodeBuilder.BlockCodeBuilder> {

        @Override
        public void accept(CodeBuilder.BlockCodeBuilder code) {
            code.aload(this.writer).invokestatic(CODECS, "releaseWriter", RELEASE_WRITER).athrow();
        }
    }
}
