package io.rapace.spring.boot.autoconfigure;

import io.rapace.spring.boot.RapaceShmPathResolver;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Configuration properties of a rapace plugin, under {@code rapace.*}.
 *
 * <p>The segment path may also come from the rapace host's launch convention ({@code --shm-path=PATH},
 * {@code --addr=PATH} or the first positional argument): see {@link RapaceShmPathResolver}.
 */
@ConfigurationProperties("rapace")
public class RapaceProperties {

    /** The shared-memory segment that the host created. */
    private final Shm shm = new Shm();

    /**
     * How long the host's heartbeat may stand still before the host counts as stalled: calls to it then fail by
     * their own deadlines, and the session carries on when the heartbeat moves again.
     */
    private Duration livenessTimeout = Duration.ofSeconds(3);

    /**
     * How long the host may stay stalled before it counts as gone for good, when its process cannot be watched
     * (it is not an ancestor of this plugin). A watched host is gone as soon as its process exits.
     */
    private Duration peerGoneAfter = Duration.ofSeconds(30);

    /** Default timeout of a call that this plugin makes to the host, when the caller gives none. */
    private Duration callTimeout = Duration.ofSeconds(30);

    /**
     * How long a stop waits for in-flight calls to finish before the session and the segment are closed.
     * Zero closes at once.
     */
    private Duration shutdownGracePeriod = Duration.ofSeconds(10);

    /**
     * Whether the application exits when the host goes away: with exit code 0 when the host closed the
     * session, non-zero when it died.
     */
    private boolean exitOnHostExit = true;

    /** The shared-memory segment that the host created. */
    public Shm getShm() {
        return this.shm;
    }

    /** How long the host's heartbeat may stand still before the host counts as stalled. */
    public Duration getLivenessTimeout() {
        return this.livenessTimeout;
    }

    public void setLivenessTimeout(Duration livenessTimeout) {
        this.livenessTimeout = positive("rapace.liveness-timeout", livenessTimeout);
    }

    /** How long an unwatched host may stay stalled before it counts as gone. */
    public Duration getPeerGoneAfter() {
        return this.peerGoneAfter;
    }

    public void setPeerGoneAfter(Duration peerGoneAfter) {
        this.peerGoneAfter = positive("rapace.peer-gone-after", peerGoneAfter);
    }

    /** Default timeout of a call that this plugin makes to the host. */
    public Duration getCallTimeout() {
        return this.callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = positive("rapace.call-timeout", callTimeout);
    }

    /** How long a stop waits for in-flight calls before closing. */
    public Duration getShutdownGracePeriod() {
        return this.shutdownGracePeriod;
    }

    public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
        this.shutdownGracePeriod = notNegative("rapace.shutdown-grace-period", shutdownGracePeriod);
    }

    /** Whether the application exits when the host goes away. */
    public boolean isExitOnHostExit() {
        return this.exitOnHostExit;
    }

    public void setExitOnHostExit(boolean exitOnHostExit) {
        this.exitOnHostExit = exitOnHostExit;
    }

    private static Duration positive(String property, Duration value) {
        Assert.isTrue(value.isPositive(), () -> property + " must be positive, was " + value);
        return value;
    }

    private static Duration notNegative(String property, Duration value) {
        Assert.isTrue(!value.isNegative(), () -> property + " must not be negative, was " + value);
        return value;
    }

    /**
     * The segment: where it is and what geometry this plugin expects. The plugin follows the geometry
     * that the host wrote into the segment; a geometry property is checked only when it is set.
     */
    public static class Shm {

        /**
         * Path of the segment file that the host created. Also taken from --shm-path=PATH, --addr=PATH or
         * the first positional argument. Without a path the rapace session does not start.
         */
        private @Nullable Path path;

        /**
         * Expected number of descriptors per ring (a power of two). Unset means whatever the host chose;
         * set, a segment with another ring capacity is refused.
         */
        private @Nullable Integer ringCapacity;

        /**
         * Expected size of one data slot. Unset means whatever the host chose; set, a segment with another
         * slot size is refused.
         */
        @DataSizeUnit(DataUnit.BYTES)
        private @Nullable DataSize slotSize;

        /**
         * Expected number of data slots. Unset means whatever the host chose; set, a segment with another
         * slot count is refused.
         */
        private @Nullable Integer slotCount;

        /** How long to wait for the host to create and initialise the segment file. */
        private Duration waitTimeout = Duration.ofSeconds(5);

        /** Path of the segment file, or null when not configured as a property. */
        public @Nullable Path getPath() {
            return this.path;
        }

        public void setPath(@Nullable Path path) {
            this.path = path;
        }

        /** Expected ring capacity, or null to follow the segment. */
        public @Nullable Integer getRingCapacity() {
            return this.ringCapacity;
        }

        public void setRingCapacity(@Nullable Integer ringCapacity) {
            this.ringCapacity = ringCapacity;
        }

        /** Expected slot size, or null to follow the segment. */
        public @Nullable DataSize getSlotSize() {
            return this.slotSize;
        }

        public void setSlotSize(@Nullable DataSize slotSize) {
            this.slotSize = slotSize;
        }

        /** Expected slot count, or null to follow the segment. */
        public @Nullable Integer getSlotCount() {
            return this.slotCount;
        }

        public void setSlotCount(@Nullable Integer slotCount) {
            this.slotCount = slotCount;
        }

        /** How long to wait for the segment file. */
        public Duration getWaitTimeout() {
            return this.waitTimeout;
        }

        public void setWaitTimeout(Duration waitTimeout) {
            this.waitTimeout = notNegative("rapace.shm.wait-timeout", waitTimeout);
        }
    }
}
