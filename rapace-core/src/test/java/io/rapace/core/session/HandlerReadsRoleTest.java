package io.rapace.core.session;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a handler thread's linger tells the policy of {@link ReceiveRole}'s {@link HandlerReaders}: one that read and
 * took nothing means requests do not come back to back; one that found the ring taken by another reader means
 * nothing.
 */
class HandlerReadsRoleTest {

    @TempDir
    Path dir;

    ShmTransport host;

    ShmTransport plugin;

    ReceiveRole role;

    @BeforeEach
    void open() {
        Path file = this.dir.resolve("role.shm");
        this.host = ShmTransport.create(file, SessionPair.CONFIG, ShmOptions.defaults());
        this.plugin = ShmTransport.open(file, ShmOptions.defaults());
        this.role = new ReceiveRole(this.plugin);
        this.role.attach(frame -> { }, new Thread(() -> { }));
    }

    @AfterEach
    void close() {
        this.plugin.close();
        this.host.close();
    }

    @Test
    void aLingerThatFindsTheRingTakenLeavesTheHandlerThreadsReading() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        AtomicBoolean release = new AtomicBoolean();
        // Another reader (here a stream's delivery thread) holds the ring until released.
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> this.role.readWhileLingering(() -> {
            reading.countDown();
            return release.get();
        }, TimeUnit.SECONDS.toNanos(30)));
        assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(this.role.handlerReaders().readForNext(() -> false, false)).as("took nothing").isFalse();
        assertThat(this.role.handlerReaders().engaged()).as("a linger that could not read says nothing").isTrue();
        release.set(true);
        other.get(30, TimeUnit.SECONDS);

        assertThat(this.role.handlerReaders().readForNext(() -> false, false)).isFalse();
        assertThat(this.role.handlerReaders().engaged()).as("a linger that read and took nothing disengages").isFalse();
    }

    @Test
    void whileDisengagedOnlyAThreadWhoseHandOffWasAProbeReadsAndItsTakeEngagesAgain() {
        assertThat(this.role.handlerReaders().readForNext(() -> false, false)).isFalse();
        assertThat(this.role.handlerReaders().engaged()).isFalse();

        assertThat(this.role.handlerReaders().readForNext(() -> true, false)).as("not told: does not read").isFalse();
        assertThat(this.role.handlerReaders().engaged()).isFalse();

        boolean told = this.role.handlerReaders().handedOff();
        assertThat(told).as("the first hand-off after disengaging is a probe").isTrue();
        assertThat(this.role.handlerReaders().readForNext(() -> true, told)).as("the probe's thread reads and takes")
                .isTrue();
        assertThat(this.role.handlerReaders().engaged()).as("a probe that took engages").isTrue();
    }
}
