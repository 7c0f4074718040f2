package io.rapace.spring.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import io.rapace.spring.boot.autoconfigure.HostSegment;
import io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.ShmOpenException.Reason;
import io.rapace.transport.shm.ShmOpenException;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.layout.DataSegmentLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The failure analysis of a plugin that cannot open its segment: which file, what was wrong, what to do. */
class RapaceSegmentFailureAnalyzerTests {

    // Contexts that fail on purpose log warnings (rapace, and Spring cancelling the refresh): captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace", "org.springframework");

    @RegisterExtension
    final HostSegment host = new HostSegment();

    private final RapaceSegmentFailureAnalyzer analyzer = new RapaceSegmentFailureAnalyzer();

    @Test
    void missingFileSaysTheHostCreatesIt() {
        Path missing = this.host.directory().resolve("absent.shm");
        FailureAnalysis analysis = analyze(open(missing));
        assertThat(analysis.getDescription()).contains(missing.toString()).contains("file does not exist after waiting")
            .contains("200 ms");
        assertThat(analysis.getAction()).contains("host creates the segment file and passes its path")
            .contains("Start the plugin from its host")
            .contains("rapace.shm.wait-timeout");
    }

    @Test
    void foreignFileIsNotARapaceSegment() throws IOException {
        Path foreign = this.host.directory().resolve("notes.txt");
        Files.writeString(foreign, "these are not the bytes you are looking for, nor a rapace header at all");
        FailureAnalysis analysis = analyze(open(foreign));
        assertThat(analysis.getDescription()).contains(foreign.toString()).contains("not a rapace segment")
            .contains("magic bytes");
        assertThat(analysis.getAction()).contains("segment file that its host created");
    }

    @Test
    void valuesOfTheWirePrintUnsigned() throws IOException {
        Path segment = this.host.directory().resolve("huge.shm");
        ShmTransport.create(segment, HostSegment.CONFIG, ShmOptions.defaults()).close();
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0xFFFF_FFFF),
                    ShmLayout.dataHeaderOffset(HostSegment.CONFIG.ringCapacity()) + DataSegmentLayout.SLOT_COUNT_OFFSET);
        }
        FailureAnalysis analysis = analyze(open(segment));
        assertThat(analysis.getDescription()).contains("headers are invalid").contains("slot_count=4294967295")
            .doesNotContain("=-1");
    }

    @Test
    void permissionDeniedSaysWhichUserMayOpenIt() {
        Path file = this.host.directory().resolve("theirs.shm");
        ShmOpenException denied = new ShmOpenException(Reason.IO, file,
                "cannot open or map the file: " + new AccessDeniedException(file.toString()),
                new AccessDeniedException(file.toString()));
        FailureAnalysis analysis = analyze(new BeanCreationException("rapaceTransport", denied));
        assertThat(analysis.getDescription()).contains(file.toString()).contains("permission denied");
        assertThat(analysis.getAction()).contains("Run the plugin as the user that runs its host");
    }

    @Test
    void aSegmentAnotherPluginServesSaysSo() {
        ShmTransport first = ShmTransport.open(this.host.path(), ShmOptions.defaults());
        try {
            FailureAnalysis analysis = analyze(open(this.host.path()));
            assertThat(analysis.getDescription()).contains(this.host.path().toString())
                .contains("another plugin already serves this segment");
            assertThat(analysis.getAction()).contains("A segment serves one plugin");
        }
        finally {
            first.close();
        }
    }

    @Test
    void geometryThatDiffersFromTheConfiguredOneNamesBoth() {
        HostSegment.contextRunner(RapaceAutoConfiguration.class)
            .withPropertyValues(this.host.pathProperty(), "rapace.shm.slot-count=128")
            .run((context) -> {
                FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription()).contains(this.host.path().toString())
                    .contains("slot count=32")
                    .contains("rapace.shm.slot-count=128");
                assertThat(analysis.getAction()).contains("Unset rapace.shm.ring-capacity");
            });
    }

    private FailureAnalysis analyze(Throwable failure) {
        FailureAnalysis analysis = this.analyzer.analyze(failure);
        assertThat(analysis).as("analysed: %s", failure).isNotNull();
        return analysis;
    }

    private static ShmOpenException open(Path path) {
        return catchThrowableOfType(ShmOpenException.class,
                () -> ShmTransport.open(path, ShmOptions.defaults().withOpenTimeout(Duration.ofMillis(200))));
    }
}
