package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.rapace.core.ErrorCode;
import io.rapace.transport.shm.ShmOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SessionObserverTest {

    /** One observed event. */
    record Event(String side, int methodId, ErrorCode outcome, long durationNanos) {
    }

    @TempDir
    Path dir;

    final List<Event> events = new CopyOnWriteArrayList<>();

    SessionPair pair;

    @BeforeEach
    void start() {
        SessionObserver observer = new SessionObserver() {
            @Override
            public void onServerCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
                SessionObserverTest.this.events.add(new Event("server", methodId, outcome, durationNanos));
            }

            @Override
            public void onClientCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
                SessionObserverTest.this.events.add(new Event("client", methodId, outcome, durationNanos));
            }
        };
        this.pair = new SessionPair(this.dir.resolve("observed.shm"), ShmOptions.defaults(), ShmOptions.defaults(),
                SessionOptions.defaults().withObserver(observer));
        this.pair.pluginHandlers.put(1, call -> call.respond(new byte[0]));
        this.pair.pluginHandlers.put(2, call -> call.fail(ErrorCode.NOT_FOUND, "none"));
    }

    @AfterEach
    void stop() {
        this.pair.close();
    }

    @Test
    void everyCallIsReportedOnBothSidesWithItsOutcome() {
        this.pair.host.call(1, new byte[0], null).join();
        RpcSessionTest.failure(this.pair.host.call(2, new byte[0], null));
        RpcSessionTest.failure(this.pair.host.call(3, new byte[0], null));
        await().atMost(Duration.ofSeconds(30)).until(() -> this.events.size() == 6);
        assertThat(this.events).filteredOn(e -> e.side().equals("server"))
                .extracting(Event::methodId, Event::outcome)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(1, ErrorCode.OK),
                        org.assertj.core.groups.Tuple.tuple(2, ErrorCode.NOT_FOUND),
                        org.assertj.core.groups.Tuple.tuple(3, ErrorCode.UNIMPLEMENTED));
        assertThat(this.events).filteredOn(e -> e.side().equals("client"))
                .extracting(Event::methodId, Event::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, ErrorCode.OK),
                        org.assertj.core.groups.Tuple.tuple(2, ErrorCode.NOT_FOUND),
                        org.assertj.core.groups.Tuple.tuple(3, ErrorCode.UNIMPLEMENTED));
        assertThat(this.events).filteredOn(e -> e.side().equals("client")).allMatch(e -> e.durationNanos() > 0);
    }
}
