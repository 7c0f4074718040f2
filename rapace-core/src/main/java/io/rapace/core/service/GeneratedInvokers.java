package io.rapace.core.service;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardReader;
import io.rapace.core.codec.Unboxed;
import org.jspecify.annotations.Nullable;

/**
 * The served methods of one implementation as a class of their own, the same handles {@link ServedInvoker} composes
 * ({@code (PostcardReader)long} for a result written from its bits, else {@code (PostcardReader)Object}) made
 * of plain bytecode: a hidden class in the service interface's package has one static method per remote method,
 * which reads each argument from the reader (a primitive one through the reader's own method, without a box),
 * checks the reader's end, invokes the interface method on the implementation (a static final field, set from the
 * class data) and turns a primitive result into its bits. One class replaces the method handles' chains, whose
 * forms and species the JDK spins and compiles class by class: a one-method service took 45-55 ms to define in a
 * fresh JVM.
 *
 * <p>Where the class cannot be defined in the interface's package (a package not open to rapace, an interface loaded
 * apart from rapace), {@link #of} answers null and the service is served through {@link ServedInvoker}'s handles.
 */
final class GeneratedInvokers {

    private static final ClassDesc READER = ClassDesc.of(PostcardReader.class.getName());

    private static final ClassDesc CODEC = ClassDesc.of(PostcardCodec.class.getName());

    private static final MethodType FOR_BITS = MethodType.methodType(long.class, PostcardReader.class);

    private static final MethodType FOR_VALUE = MethodType.methodType(Object.class, PostcardReader.class);

    private static final MethodTypeDesc FOR_BITS_DESCRIPTOR = MethodTypeDesc.of(ConstantDescs.CD_long, READER);

    private static final MethodTypeDesc FOR_VALUE_DESCRIPTOR = MethodTypeDesc.of(ConstantDescs.CD_Object, READER);

    private GeneratedInvokers() {
    }

    /**
     * Per method of {@code methods} (all declared by {@code serviceInterface}), in their order, the handle that serves
     * it on {@code implementation}, typed as {@link ServedInvoker#of} types it; null when the class cannot be defined
     * in the interface's package.
     */
    static @Nullable List<MethodHandle> of(Class<?> serviceInterface, List<MethodDefinition> methods,
            Object implementation) {
        if (!seesRapace(serviceInterface.getClassLoader())) {
            // The class would be defined, then fail at its first call, resolving the reader it reads from.
            return null;
        }
        List<Object> constants = new ArrayList<>();
        constants.add(implementation);
        byte[] bytes = classBytes(serviceInterface, methods, constants);
        MethodHandles.Lookup defined = InterfacePackage.defineHidden(serviceInterface, bytes, constants);
        if (defined == null) {
            // Not open to rapace, or loaded apart from it: the composed handles can still reach the implementation.
            return null;
        }
        List<MethodHandle> invokers = new ArrayList<>(methods.size());
        for (int index = 0; index < methods.size(); index++) {
            try {
                invokers.add(defined.findStatic(defined.lookupClass(), methodName(index),
                        methods.get(index).resultAsBits() ? FOR_BITS : FOR_VALUE));
            }
            catch (ReflectiveOperationException unexpected) {
                throw new IllegalStateException("the served class of " + serviceInterface.getName()
                        + " lacks its method " + index, unexpected);
            }
        }
        return List.copyOf(invokers);
    }

    /** Whether {@code loader} resolves the names of rapace's types the class refers to as the types rapace uses. */
    private static boolean seesRapace(@Nullable ClassLoader loader) {
        for (Class<?> type : List.of(PostcardReader.class, PostcardCodec.class)) {
            try {
                if (Class.forName(type.getName(), false, loader) != type) {
                    return false;
                }
            }
            catch (ClassNotFoundException | LinkageError notSeen) {
                return false;
            }
        }
        return true;
    }

    private static String methodName(int index) {
        return "serve" + index;
    }

    /**
     * The class: {@code static long serveN(PostcardReader)} or {@code static Object serveN(PostcardReader)} per
     * method, and the constants they use as static final fields {@code cK}, set from the class data (the list
     * {@code constants}) by the class's initialiser: entry 0 is the implementation, the codecs the methods need are
     * added as they are used. (A dynamic constant per use would cost the first call a bootstrap, whose invocation
     * the JDK spins a dozen classes for.)
     */
    private static byte[] classBytes(Class<?> serviceInterface, List<MethodDefinition> methods,
            List<Object> constants) {
        ClassDesc self = ClassDesc.of(serviceInterface.getName() + "$RapaceServed");
        ClassDesc implemented = ClassDesc.of(serviceInterface.getName());
        return ClassFile.of().build(self,
                new ServedClass(methods, implemented, new Constants(self, constants, implemented)));
    }

    /**
     * Builds the class (a class, not a lambda, as the other builders here: each lambda costs a cold JVM a class
     * spun at its first use, on a plugin's way to its first answer).
     */
    private record ServedClass(List<MethodDefinition> methods, ClassDesc implemented, Constants constants)
            implements Consumer<ClassBuilder> {

        @Override
        public void accept(ClassBuilder type) {
            type.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER | ClassFile.ACC_SYNTHETIC);
            for (int index = 0; index < this.methods.size(); index++) {
                MethodDefinition method = this.methods.get(index);
                MethodTypeDesc descriptor = method.resultAsBits() ? FOR_BITS_DESCRIPTOR : FOR_VALUE_DESCRIPTOR;
                type.withMethodBody(methodName(index), descriptor, ClassFile.ACC_STATIC | ClassFile.ACC_FINAL,
                        new ServeMethod(method, this.implemented, this.constants));
            }
            for (int index = 0; index < this.constants.size(); index++) {
                type.withField(Constants.name(index), this.constants.type(index),
                        ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC | ClassFile.ACC_FINAL);
            }
            type.withMethodBody(ConstantDescs.CLASS_INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_STATIC,
                    this.constants);
        }
    }

    /** Builds one method's {@code serveN}. */
    private record ServeMethod(MethodDefinition method, ClassDesc implemented, Constants constants)
            implements Consumer<CodeBuilder> {

        @Override
        public void accept(CodeBuilder code) {
            serve(code, this.method, this.implemented, this.constants);
        }
    }

    /**
     * The class's constants: entry 0 the implementation, then the codecs, each a static final field; as a builder,
     * the class's initialiser, which sets them.
     */
    private static final class Constants implements Consumer<CodeBuilder> {

        private static final ClassDesc LIST = ClassDesc.of(List.class.getName());

        private final ClassDesc self;

        private final List<Object> values;

        private final ClassDesc implemented;

        Constants(ClassDesc self, List<Object> values, ClassDesc implemented) {
            this.self = self;
            this.values = values;
            this.implemented = implemented;
        }

        static String name(int index) {
            return "c" + index;
        }

        ClassDesc type(int index) {
            return index == 0 ? this.implemented : CODEC;
        }

        /** Pushes the implementation. */
        void implementation(CodeBuilder code) {
            code.getstatic(this.self, name(0), this.implemented);
        }

        /** Pushes {@code codec}, made a constant of the class if it is not one yet. */
        void codec(CodeBuilder code, PostcardCodec<?> codec) {
            int index = this.values.indexOf(codec);
            if (index <= 0) {
                this.values.add(codec);
                index = this.values.size() - 1;
            }
            code.getstatic(this.self, name(index), CODEC);
        }

        int size() {
            return this.values.size();
        }

        /** {@code <clinit>}: each field from the class data, a list of the values in their order. */
        @Override
        public void accept(CodeBuilder code) {
            code.invokestatic(ConstantDescs.CD_MethodHandles, "lookup",
                    MethodTypeDesc.of(ConstantDescs.CD_MethodHandles_Lookup));
            code.ldc(ConstantDescs.DEFAULT_NAME).ldc(LIST);
            code.invokestatic(ConstantDescs.CD_MethodHandles, "classData", MethodTypeDesc.of(ConstantDescs.CD_Object,
                    ConstantDescs.CD_MethodHandles_Lookup, ConstantDescs.CD_String, ConstantDescs.CD_Class));
            code.checkcast(LIST).astore(0);
            for (int index = 0; index < this.values.size(); index++) {
                code.aload(0).ldc(index).invokeinterface(LIST, "get",
                        MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_int));
                code.checkcast(type(index)).putstatic(this.self, name(index), type(index));
            }
            code.return_();
        }
    }

    /** The body of one method's {@code serveN}: the arguments read, the end checked, the call, the result. */
    private static void serve(CodeBuilder code, MethodDefinition definition, ClassDesc implemented,
            Constants constants) {
        Method method = definition.javaMethod();
        constants.implementation(code);
        Class<?>[] parameters = method.getParameterTypes();
        for (int k = 0; k < parameters.length; k++) {
            readArgument(code, definition.parameterCodecs().get(k), parameters[k], constants);
        }
        code.aload(0).invokevirtual(READER, "expectEnd", ConstantDescs.MTD_void);
        code.invokeinterface(implemented, method.getName(), MethodTypeDesc.ofDescriptor(
                MethodType.methodType(method.getReturnType(), parameters).toMethodDescriptorString()));
        Class<?> result = method.getReturnType();
        if (definition.resultAsBits()) {
            toBits(code, result);
            code.lreturn();
        }
        else {
            toObject(code, result);
            code.areturn();
        }
    }

    /**
     * Pushes the argument of {@code type} read from the reader (local 0) as {@code codec} reads it: through the
     * reader's own method for a primitive whose scalar codec it is ({@link Unboxed#readerMethod}), else through the
     * codec's {@code decode}, cast (or unboxed) to {@code type}.
     */
    private static void readArgument(CodeBuilder code, PostcardCodec<?> codec, Class<?> type, Constants constants) {
        String readerMethod = Unboxed.readerMethod(codec, type);
        if (readerMethod != null) {
            code.aload(0).invokevirtual(READER, readerMethod, MethodTypeDesc.of(descriptorOf(type)));
            return;
        }
        constants.codec(code, codec);
        code.aload(0).invokeinterface(CODEC, "decode", FOR_VALUE_DESCRIPTOR);
        if (type.isPrimitive()) {
            ClassDesc box = boxOf(type);
            code.checkcast(box).invokevirtual(box, type.getName() + "Value", MethodTypeDesc.of(descriptorOf(type)));
        }
        else {
            code.checkcast(descriptorOf(type));
        }
    }

    /** Turns the primitive result on the stack into its bits, as {@link Unboxed#toBits} does. */
    private static void toBits(CodeBuilder code, Class<?> result) {
        if (result == void.class) {
            code.lconst_0();
        }
        else if (result == float.class) {
            code.invokestatic(ConstantDescs.CD_Float, "floatToRawIntBits",
                    MethodTypeDesc.of(ConstantDescs.CD_int, ConstantDescs.CD_float)).i2l();
        }
        else if (result == double.class) {
            code.invokestatic(ConstantDescs.CD_Double, "doubleToRawLongBits",
                    MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_double));
        }
        else if (result != long.class) {
            // An int-sized value sign-extends (a char zero-extends, a boolean is 0 or 1), as the widening does.
            code.i2l();
        }
    }

    /** Turns the result on the stack into an {@code Object}: a primitive boxed, {@code void} as null. */
    private static void toObject(CodeBuilder code, Class<?> result) {
        if (result == void.class) {
            code.aconst_null();
        }
        else if (result.isPrimitive()) {
            ClassDesc box = boxOf(result);
            code.invokestatic(box, "valueOf", MethodTypeDesc.of(box, descriptorOf(result)));
        }
    }

    /** The descriptor of the box of {@code primitive}, such as {@code Integer} for {@code int}. */
    private static ClassDesc boxOf(Class<?> primitive) {
        return descriptorOf(MethodType.methodType(primitive).wrap().returnType());
    }

    private static ClassDesc descriptorOf(Class<?> type) {
        Optional<ClassDesc> descriptor = type.describeConstable();
        if (descriptor.isEmpty()) {
            throw new IllegalStateException(type.getName() + " has no nominal descriptor");
        }
        return descriptor.get();
    }
}
