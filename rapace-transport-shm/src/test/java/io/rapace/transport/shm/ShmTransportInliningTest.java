package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.util.Objects;

import org.junit.jupiter.api.Test;

/**
 * {@link ShmTransport#receive} is on every frame's path: the receive loop and a leading caller call it once per
 * frame, and C2 inlines it into them only while its bytecode stays within {@code -XX:FreqInlineSize} (325 bytes on
 * x86-64 and aarch64). Once it grew to 401 bytes (a few lines of idle bookkeeping, inline) and a typed call's p50
 * went from 1.4 to 1.65 µs in three interleaved pairs of {@code TypedCallHarness}: rare work goes into helpers.
 */
class ShmTransportInliningTest {

    /** HotSpot's {@code FreqInlineSize} default: the largest hot method C2 inlines. */
    private static final int FREQ_INLINE_SIZE = 325;

    @Test
    void receiveStaysSmallEnoughForC2ToInlineIt() throws IOException {
        ClassModel transport = classModel(ShmTransport.class);
        MethodModel receive = transport.methods().stream()
                .filter(m -> m.methodName().equalsString("receive")
                        && m.methodType().equalsString("(Lio/rapace/transport/shm/FrameHandler;IJ)I"))
                .findFirst().orElseThrow();

        int codeLength = receive.findAttribute(Attributes.code()).orElseThrow().codeLength();

        assertThat(codeLength).as("bytecode length of ShmTransport.receive(FrameHandler, int, long)")
                .isLessThanOrEqualTo(FREQ_INLINE_SIZE);
    }

    private static ClassModel classModel(Class<?> type) throws IOException {
        try (InputStream in = Objects.requireNonNull(
                type.getResourceAsStream(type.getSimpleName() + ".class"), "class file of " + type)) {
            return ClassFile.of().parse(in.readAllBytes());
        }
    }
}
