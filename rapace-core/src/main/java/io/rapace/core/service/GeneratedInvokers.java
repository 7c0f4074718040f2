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
        ClassDesc self = ClassDesc.of(serviceInterface.getName() + "$RapaceServed");
        ClassConstants constants = new ClassConstants(self);
        byte[] bytes = ClassFile.of().build(self, new ServedClass(methods, ClassDesc.of(serviceInterface.getName()),
                implementation, constants));
        MethodHandles.Lookup defined = InterfacePackage.defineHidden(serviceInterface, bytes, constants.values());
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

    private static String methodName(int index) {
        return "serve" + index;
    }

    /**
     * Builds the class: {@code static long serveN(PostcardReader)} or {@code static Object serveN(PostcardReader)} per
     * method, then the constants they use (the implementation, the codecs) as static final fields set from the class
     * data. A class, not a lambda, as the other builders here: each lambda costs a cold JVM a class spun at its first
     * use, on a plugin's way to its first answer.
     */
    private record ServedClass(List<MethodDefinition> methods, ClassDesc implemented, Object implementation,
            ClassConstants constants) implements Consumer<ClassBuilder> {

        @Override
        public void accept(ClassBuilder type) {
            type.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER | ClassFile.ACC_SYNTHETIC);
            for (int index = 0; index < this.methods.size(); index++) {
                MethodDefinition method = this.methods.get(index);
                MethodTypeDesc descriptor = method.resultAsBits() ? FOR_BITS_DESCRIPTOR : FOR_VALUE_DESCRIPTOR;
                type.withMethodBody(methodName(index), descriptor, ClassFile.ACC_STATIC | ClassFile.ACC_FINAL,
                        new ServeMethod(method, this));
            }
            this.constants.declare(type);
        }
    }

    /** Builds one method's {@code serveN}. */
    private record ServeMethod(MethodDefinition method, ServedClass served) implements Consumer<CodeBuilder> {

        @Override
        public void accept(CodeBuilder code) {
            serve(code, this.method, this.served);
        }
    }

    /** The body of one method's {@code serveN}: the arguments read, the end checked, the call, the result. */
    private static void serve(CodeBuilder code, MethodDefinition definition, ServedClass served) {
        Method method = definition.javaMethod();
        served.constants().push(code, served.implementation(), served.implemented());
        Class<?>[] parameters = method.getParameterTypes();
        for (int k = 0; k < parameters.length; k++) {
            readArgument(code, definition.parameterCodecs().get(k), parameters[k], served.constants());
        }
        code.aload(0).invokevirtual(READER, "expectEnd", ConstantDescs.MTD_void);
        code.invokeinterface(served.implemented(), method.getName(), ValueCode.descriptorOf(method));
        Class<?> result = method.getReturnType();
        if (definition.resultAsBits()) {
            ValueCode.toBits(code, result);
            code.lreturn();
        }
        else {
            ValueCode.toObject(code, result);
            code.areturn();
        }
    }

    /**
     * Pushes the argument of {@code type} read from the reader (local 0) as {@code codec} reads it: through the
     * reader's own method for a primitive whose scalar codec it is ({@link Unboxed#readerMethod}), else through the
     * codec's {@code decode}, cast (or unboxed) to {@code type}.
     */
    private static void readArgument(CodeBuilder code, PostcardCodec<?> codec, Class<?> type,
            ClassConstants constants) {
        String readerMethod = Unboxed.readerMethod(codec, type);
        if (readerMethod != null) {
            code.aload(0).invokevirtual(READER, readerMethod, MethodTypeDesc.of(ValueCode.descriptorOf(type)));
            return;
        }
        constants.push(code, codec, CODEC);
        code.aload(0).invokeinterface(CODEC, "decode", FOR_VALUE_DESCRIPTOR);
        ValueCode.fromObject(code, type);
    }
}
