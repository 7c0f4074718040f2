package io.rapace.core.session;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.layout.RingLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The host's {@code visible_head} jumps far past the plugin's tail (a hostile or corrupted peer): the plugin's
 * session ends with a reason that names the protocol violation and its values, instead of executing old requests
 * again.
 */
class HostileHeadSessionTest {

    // Failures provoked on purpose are logged: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path dir;

    SessionPair pair;

    @AfterEach
    void stop() {
        this.pair.close();
    }

    @Test
    void aHeadFarAheadOfTheTailEndsThePluginSessionNamingTheViolation() throws Exception {
        Path file = this.dir.resolve("hostile-head.shm");
        this.pair = new SessionPair(file);
        long headOffset = SessionPair.CONFIG.layout().ringAToBHeader() + RingLayout.VISIBLE_HEAD_OFFSET;
        long hostile;
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
            hostile = mapping.get(U64, headOffset) + 1_000L * SessionPair.CONFIG.ringCapacity();
            mapping.set(U64, headOffset, hostile);
        }

        assertThatThrownBy(() -> this.pair.plugin.closeFuture().get(30, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(RapaceException.class, ex -> {
                    assertThat(ex.errorCode()).isEqualTo(ErrorCode.INTERNAL);
                    assertThat(ex.getMessage()).contains("protocol violation by the peer")
                            .contains("visible_head=" + hostile);
                });
        assertThat(this.pair.plugin.state().isOpen()).isFalse();
    }
}
