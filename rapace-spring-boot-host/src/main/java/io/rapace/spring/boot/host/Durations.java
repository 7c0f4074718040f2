package io.rapace.spring.boot.host;

import java.time.Duration;

/** Durations as people write them in messages: {@code 30 s}, {@code 1500 ms}. */
final class Durations {

    private Durations() {
    }

    /** Whole seconds as {@code N s}, anything else as {@code N ms}. */
    static String human(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
