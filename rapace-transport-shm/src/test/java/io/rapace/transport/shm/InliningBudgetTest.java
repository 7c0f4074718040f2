package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.MethodModel;
import java.util.Objects;

import org.junit.jupiter.api.Test;

/**
 * The two sides of C2's inlining budget on the frame paths, checked on the bytecode (no timing). C2 inlines a hot
 * method only while its bytecode is within {@code -XX:FreqInlineSize} (325 bytes on x86-64 and aarch64), and no
 * deeper than {@code -XX:MaxInlineLevel} (15) below the method it compiles; an FFM memory access takes 8 of those
 * levels inside the JDK.
 * <ul>
 * <li>{@link ShmTransport#receive} runs once per frame under the receive loop and a leading caller: it must stay
 *     inlinable. At 401 bytes (a few lines of idle bookkeeping, inline) a typed call's p50 went from 1.4 to
 *     1.65 µs in three interleaved pairs of {@code TypedCallHarness}.</li>
 * <li>{@code FrameSender.enqueue} writes every descriptor: it must never be inlined, so that C2 compiles it on
 *     its own with the whole depth for its stores. Inlined into a typed proxy's compile (14 calls above it), the
 *     stores became calls; which compile C2 chose as the root varied by run, and with it a typed call's p50
 *     (0.86-1.2 µs against 1.4-2.0 µs).</li>
 * </ul>
 */
class InliningBudgetTest {

    /** HotSpot's {@code FreqInlineSize} default: the largest hot method C2 inlines. */
    private static final int FREQ_INLINE_SIZE = 325;

    @Test
    void receiveStaysSmallEnoughForC2ToInlineIt() throws IOException {
        assertThat(codeLength(ShmTransport.class, "receive", "(Lio/rapace/transport/shm/FrameHandler;IJ)I"))
                .as("bytecode length of ShmTransport.receive(FrameHandler, int, long)")
                .isLessThanOrEqualTo(FREQ_INLINE_SIZE);
    }

    @Test
    void theDescriptorWriterIsACompileBoundary() throws IOException {
        assertThat(codeLength(FrameSender.class, "enqueue", "(IIIJIII[BLjava/lang/foreign/MemorySegment;JJJ)J"))
                .as("bytecode length of FrameSender.enqueue: over FreqInlineSize, so never inlined into a caller")
                .isGreaterThan(FREQ_INLINE_SIZE);
    }

    private static int codeLength(Class<?> type, String name, String descriptor) throws IOException {
        try (InputStream in = Objects.requireNonNull(
                type.getResourceAsStream(type.getSimpleName() + ".class"), "class file of " + type)) {
            MethodModel method = ClassFile.of().parse(in.readAllBytes()).methods().stream()
                    .filter(m -> m.methodName().equalsString(name) && m.methodType().equalsString(descriptor))
                    .findFirst().orElseThrow(() -> new AssertionError(type.getName() + "." + name + descriptor
                            + " not found"));
            return method.findAttribute(Attributes.code()).orElseThrow().codeLength();
        }
    }
}
