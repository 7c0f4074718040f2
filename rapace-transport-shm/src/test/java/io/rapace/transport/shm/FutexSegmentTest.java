package io.rapace.transport.shm;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test on real mapped segment files in a temporary directory ({@link #dir}) that needs {@code FUTEX_WAIT} and
 * {@code FUTEX_WAKE}: skipped, by a failed assumption, where the platform does not have them.
 */
abstract class FutexSegmentTest {

    @TempDir
    Path dir;

    @BeforeEach
    void futexIsAvailable() {
        WakeFixture.requireFutex();
    }
}
