package io.rapace.core.service;

import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Bytecode that turns the value on the operand stack from one form into another, for the generated classes
 * ({@link GeneratedInvokers}, {@link GeneratedClients}): a Java value into its box or its raw bits, and back, with
 * the conversions of {@link io.rapace.core.codec.Unboxed#toBits} and {@link io.rapace.core.codec.Unboxed#decodeBits}
 * and of a method handle's {@code asType} (boxing, unboxing with its {@code ClassCastException} or
 * {@code NullPointerException}).
 */
final class ValueCode {

    private ValueCode() {
    }

    /** Turns the primitive value on the stack into its raw bits ({@code long}); {@code void} pushes 0. */
    static void toBits(CodeBuilder code, Class<?> type) {
        if (type == void.class) {
            code.lconst_0();
        }
        else if (type == float.class) {
            code.invokestatic(ConstantDescs.CD_Float, "floatToRawIntBits",
                    MethodTypeDesc.of(ConstantDescs.CD_int, ConstantDescs.CD_float)).i2l();
        }
        else if (type == double.class) {
            code.invokestatic(ConstantDescs.CD_Double, "doubleToRawLongBits",
                    MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_double));
        }
        else if (type != long.class) {
            // An int-sized value sign-extends (a char zero-extends, a boolean is 0 or 1), as the widening does.
            code.i2l();
        }
    }

    /**
     * Turns the raw bits on the stack ({@code long}) into a value of primitive {@code type}, the inverse of
     * {@link #toBits}: narrowing keeps the low bits, a boolean is the lowest; {@code void} drops them.
     */
    static void fromBits(CodeBuilder code, Class<?> type) {
        if (type == void.class) {
            code.pop2();
        }
        else if (type == float.class) {
            code.l2i().invokestatic(ConstantDescs.CD_Float, "intBitsToFloat",
                    MethodTypeDesc.of(ConstantDescs.CD_float, ConstantDescs.CD_int));
        }
        else if (type == double.class) {
            code.invokestatic(ConstantDescs.CD_Double, "longBitsToDouble",
                    MethodTypeDesc.of(ConstantDescs.CD_double, ConstantDescs.CD_long));
        }
        else if (type != long.class) {
            code.l2i();
            if (type == boolean.class) {
                code.iconst_1().iand();
            }
            else if (type == byte.class) {
                code.i2b();
            }
            else if (type == short.class) {
                code.i2s();
            }
            else if (type == char.class) {
                code.i2c();
            }
        }
    }

    /** Turns the value of {@code type} on the stack into an {@code Object}: a primitive boxed, {@code void} as null. */
    static void toObject(CodeBuilder code, Class<?> type) {
        if (type == void.class) {
            code.aconst_null();
        }
        else if (type.isPrimitive()) {
            ClassDesc box = boxOf(type);
            code.invokestatic(box, "valueOf", MethodTypeDesc.of(box, descriptorOf(type)));
        }
    }

    /**
     * Turns the {@code Object} on the stack into a value of {@code type}: cast to a reference type, or to the box of a
     * primitive and unboxed (a null then throws {@code NullPointerException}); {@code void} drops it.
     */
    static void fromObject(CodeBuilder code, Class<?> type) {
        if (type == void.class) {
            code.pop();
        }
        else if (type.isPrimitive()) {
            ClassDesc box = boxOf(type);
            code.checkcast(box).invokevirtual(box, type.getName() + "Value", MethodTypeDesc.of(descriptorOf(type)));
        }
        else if (type != Object.class) {
            code.checkcast(descriptorOf(type));
        }
    }

    /** The descriptor of {@code method}'s own type (its parameters and result, without its owner). */
    static MethodTypeDesc descriptorOf(Method method) {
        return MethodTypeDesc.ofDescriptor(
                MethodType.methodType(method.getReturnType(), method.getParameterTypes()).toMethodDescriptorString());
    }

    /** The nominal descriptor of {@code type}. */
    static ClassDesc descriptorOf(Class<?> type) {
        Optional<ClassDesc> descriptor = type.describeConstable();
        if (descriptor.isEmpty()) {
            throw new IllegalStateException(type.getName() + " has no nominal descriptor");
        }
        return descriptor.get();
    }

    /** The descriptor of the box of {@code primitive}, such as {@code Integer} for {@code int}. */
    private static ClassDesc boxOf(Class<?> primitive) {
        return descriptorOf(MethodType.methodType(primitive).wrap().returnType());
    }
}
