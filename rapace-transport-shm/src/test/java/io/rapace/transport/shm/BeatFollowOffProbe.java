package io.rapace.transport.shm;

import java.nio.file.Path;

import io.rapace.transport.shm.layout.SegmentLayout;

/**
 * {@link BeatFollowTest}'s child JVM, started with {@code -Drapace.shm.beat-follow=false} or without it: a host and a
 * plugin transport on one segment, and whether the host advertised beat follow and the plugin follows (args: the
 * directory, and {@code true} when they should).
 */
final class BeatFollowOffProbe {

    private BeatFollowOffProbe() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]).resolve("probe-" + args[1] + ".shm");
        boolean expected = Boolean.parseBoolean(args[1]);
        try (ShmTransport host = ShmTransport.create(file, new ShmConfig(16, 1024, 4), ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            int flags = new SegmentHeaderView(host.segment()).flagsAcquire();
            Probe.check(plugin.wakeExtensionActive(), "the wake extension is in use either way (flags " + flags + ")");
            Probe.check(((flags & SegmentLayout.FLAGS_BEAT_BOTH) == SegmentLayout.FLAGS_BEAT_BOTH) == expected,
                    "both beat-follow bits set: " + !expected + " (flags " + flags + ")");
            Probe.check(plugin.heartbeat().follow().follows() == expected, "the plugin follows: " + !expected);
            host.removeSegmentFile();
        }
        Probe.passed();
    }
}
