package io.rapace.core.service;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import io.rapace.core.codec.PostcardReader;
import io.rapace.core.codec.Unboxed;

/**
 * The handle that serves one method: reads each argument from the request's reader in order (a primitive one without
 * a box), checks that nothing follows, and invokes the implementation with them: no argument array. A primitive
 * result, or {@code void}, comes back as its bits ({@link Unboxed#toBits}), so that it is written without a box too.
 * Whether a failure is the request's or the implementation's is told by the reader afterwards
 * ({@link PostcardReader#endReached()}: its end was checked just before the implementation ran), not by a handler
 * composed around each argument's read: such compositions cost a served interface tens of milliseconds of start-up.
 * A service is served so only where {@link GeneratedInvokers} cannot define its class (an interface whose package is
 * not open to rapace, or whose loader does not see rapace's classes): the chains' lambda forms, spun in a cold JVM,
 * cost more than the one class.
 */
final class ServedInvoker {

    private static final MethodHandle EXPECT_END;

    static {
        try {
            EXPECT_END = MethodHandles.lookup().findVirtual(PostcardReader.class, "expectEnd",
                    MethodType.methodType(void.class));
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private ServedInvoker() {
    }

    /**
     * {@code (PostcardReader)long} when {@link MethodDefinition#resultAsBits}, else {@code (PostcardReader)Object}: the arguments read
     * from the reader, then {@code target} ({@code (P...)R}, bound to the implementation) invoked with them.
     */
    static MethodHandle of(MethodDefinition method, MethodHandle target) {
        Class<?>[] parameters = target.type().parameterArray();
        int count = parameters.length;
        // (P1..Pn, reader)R: the reader's end is checked, then the target runs.
        MethodHandle invoke = MethodHandles.foldArguments(
                MethodHandles.dropArguments(target, count, PostcardReader.class), count, EXPECT_END);
        for (int k = count; k >= 1; k--) {
            // (P1..Pk-1, reader)R: argument k read from the reader, then the rest; the outermost fold runs first.
            invoke = MethodHandles.foldArguments(invoke, k - 1,
                    Unboxed.reader(method.parameterCodecs().get(k - 1), parameters[k - 1]));
        }
        if (method.resultAsBits()) {
            return MethodHandles.filterReturnValue(invoke, Unboxed.toBits(target.type().returnType()));
        }
        return invoke.asType(MethodType.methodType(Object.class, PostcardReader.class));
    }
}
