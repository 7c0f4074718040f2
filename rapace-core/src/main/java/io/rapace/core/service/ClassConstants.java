package io.rapace.core.service;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The objects a generated class uses (an implementation, codecs, method handles), each held in a static final field
 * {@code cK} that the class's initialiser sets from its class data, the list {@link #values()}. A method body asks
 * for a value with {@link #push} as it is built; once every body is built, {@link #declare} adds the fields and the
 * initialiser, and the class is defined with {@link #values()} as its class data.
 *
 * <p>Fields, not a dynamic constant per use: the first call of each bootstrap costs a cold JVM a dozen classes the JDK
 * spins for its invocation, and a static final field is a constant to the JIT as well. (A class, not a lambda, as
 * every builder here: each lambda costs a cold JVM a class spun at its first use.)
 */
final class ClassConstants implements Consumer<CodeBuilder> {

    private static final ClassDesc LIST = ClassDesc.of(List.class.getName());

    private final ClassDesc self;

    private final List<Object> values = new ArrayList<>();

    private final List<ClassDesc> types = new ArrayList<>();

    /** The constants of the class {@code self}. */
    ClassConstants(ClassDesc self) {
        this.self = self;
    }

    /** Pushes {@code value}, typed {@code type}, made a constant of the class at its first use (by identity). */
    void push(CodeBuilder code, Object value, ClassDesc type) {
        int index = indexOf(value);
        if (index < 0) {
            this.values.add(value);
            this.types.add(type);
            index = this.values.size() - 1;
        }
        code.getstatic(this.self, name(index), this.types.get(index));
    }

    /** The class data: the values in the order of their fields. */
    List<Object> values() {
        return List.copyOf(this.values);
    }

    /** Adds the fields and the initialiser that sets them; after every method that pushes has been built. */
    void declare(ClassBuilder type) {
        for (int index = 0; index < this.values.size(); index++) {
            type.withField(name(index), this.types.get(index),
                    ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC | ClassFile.ACC_FINAL);
        }
        type.withMethodBody(ConstantDescs.CLASS_INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_STATIC, this);
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
            ClassDesc type = this.types.get(index);
            code.aload(0).ldc(index).invokeinterface(LIST, "get",
                    MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_int));
            code.checkcast(type).putstatic(this.self, name(index), type);
        }
        code.return_();
    }

    private int indexOf(Object value) {
        for (int index = 0; index < this.values.size(); index++) {
            if (this.values.get(index) == value) {
                return index;
            }
        }
        return -1;
    }

    private static String name(int index) {
        return "c" + index;
    }
}
