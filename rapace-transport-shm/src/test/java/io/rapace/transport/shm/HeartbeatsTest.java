package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One thread beats every heartbeat of the JVM ({@link Heartbeats}): each at its interval, a stopped one no more, and a
 * heartbeat beats as soon as half its interval passed, so that heartbeats of one interval beat on the same wake-ups.
 */
class HeartbeatsTest {

    final MemorySegment memory = Arena.ofAuto().allocate(4096, 64);

    final SegmentHeaderView header = new SegmentHeaderView(this.memory);

    @Test
    void oneThreadBeatsEveryHeartbeatAtItsIntervalAndAStoppedOneNoMore() {
        Heartbeats beater = new Heartbeats("test-heartbeats-" + System.nanoTime());
        Heartbeat host = new Heartbeat(this.header, PeerRole.HOST, millis(30), "host", beater);
        Heartbeat plugin = new Heartbeat(this.header, PeerRole.PLUGIN, millis(50), "plugin", beater);
        host.start();
        plugin.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> this.header.epoch(PeerRole.HOST) >= 5
                && this.header.epoch(PeerRole.PLUGIN) >= 5);
        Thread thread = beater.thread();
        assertThat(thread).isNotNull();
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().equals(thread.getName()))
                .as("threads beating both heartbeats").hasSize(1);

        plugin.stop();
        long frozen = this.header.epoch(PeerRole.PLUGIN);
        long hostNow = this.header.epoch(PeerRole.HOST);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.header.epoch(PeerRole.HOST) >= hostNow + 4);
        assertThat(this.header.epoch(PeerRole.PLUGIN)).as("a stopped heartbeat's epoch").isEqualTo(frozen);
        assertThat(beater.size()).isEqualTo(1);

        host.stop();
        assertThat(beater.size()).isZero();
        assertThat(host.beatIfDue(System.nanoTime() + millis(1_000))).isEqualTo(Heartbeat.STOPPED);
    }

    @Test
    void aHeartbeatBeatsOnceHalfItsIntervalPassed() {
        long interval = millis(20_000);  // the thread's own next beat is far away: this test's calls are the only ones
        Heartbeat heartbeat = new Heartbeat(this.header, PeerRole.HOST, interval, "host",
                new Heartbeats("test-heartbeats-" + System.nanoTime()));
        heartbeat.start();
        long started = System.nanoTime();
        long epoch = this.header.epoch(PeerRole.HOST);
        assertThat(epoch).as("the beat at start").isEqualTo(1);

        long due = heartbeat.beatIfDue(System.nanoTime() + millis(1_000));
        assertThat(this.header.epoch(PeerRole.HOST)).as("a twentieth of the interval later").isEqualTo(epoch);
        assertThat(due - started).isBetween(interval - millis(1_000), interval);

        long late = System.nanoTime() + interval / 2 + millis(1);
        assertThat(heartbeat.beatIfDue(late)).isEqualTo(late + interval);
        assertThat(this.header.epoch(PeerRole.HOST)).as("half the interval later").isEqualTo(epoch + 1);
        heartbeat.stop();
    }

    @Test
    void theWatchRunsAtEachTurnWhileTheHeartbeatRunsAndNeverAfterItsStopReturned() {
        AtomicInteger looks = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicInteger looksAfterStop = new AtomicInteger();
        Heartbeats beater = new Heartbeats("test-heartbeats-" + System.nanoTime());
        Heartbeat heartbeat = new Heartbeat(this.header, PeerRole.HOST, millis(20), "host", beater, () -> {
            looks.incrementAndGet();
            if (stopped.get()) {
                looksAfterStop.incrementAndGet();
            }
        }, BeatFollow.NONE);
        heartbeat.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() >= 5);
        assertThat(this.header.epoch(PeerRole.HOST)).as("beats go on beside the looks").isGreaterThanOrEqualTo(5);

        heartbeat.stop();
        stopped.set(true);
        int atStop = looks.get();
        // Another heartbeat keeps the thread turning: a stopped one's watch must not run at those turns.
        Heartbeat other = new Heartbeat(this.header, PeerRole.PLUGIN, millis(20), "plugin", beater);
        other.start();
        long otherNow = this.header.epoch(PeerRole.PLUGIN);
        await().atMost(Duration.ofSeconds(10)).until(() -> this.header.epoch(PeerRole.PLUGIN) >= otherNow + 5);
        other.stop();
        assertThat(looksAfterStop.get()).isZero();
        assertThat(looks.get()).isEqualTo(atStop);
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
