package io.rapace.spring.boot;

import java.util.ArrayList;
import java.util.List;

import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOpenException.Reason;
import io.rapace.transport.shm.ShmOpenException;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Opens the host's segment as the plugin, with the given transport options, and checks the geometry that the
 * segment declares against an expected one where it is set (spec §8: the plugin follows the segment unless its
 * user pinned a geometry, with {@code rapace.shm.ring-capacity}, {@code rapace.shm.slot-size} or
 * {@code rapace.shm.slot-count}).
 */
public final class RapaceTransportFactory {

    private final ShmOptions options;

    private final ExpectedGeometry expected;

    /** A factory that opens segments with {@code options} and accepts only the {@code expected} geometry. */
    public RapaceTransportFactory(ShmOptions options, ExpectedGeometry expected) {
        Assert.notNull(options, "'options' must not be null");
        Assert.notNull(expected, "'expected' must not be null");
        this.options = options;
        this.expected = expected;
    }

    /** The transport options that each open uses. */
    public ShmOptions options() {
        return this.options;
    }

    /**
     * Opens the segment at {@code path}, waiting up to {@code rapace.shm.wait-timeout} for the host.
     *
     * @throws ShmOpenException when the segment cannot be opened, or (reason {@code GEOMETRY_MISMATCH}, the
     *     segment closed again) when its geometry differs from a configured one
     */
    public ShmTransport open(RapaceShmPath path) {
        ShmTransport transport = ShmTransport.open(path.path(), this.options);
        try {
            checkGeometry(transport.config());
            return transport;
        }
        catch (IllegalStateException ex) {
            transport.close();
            throw new ShmOpenException(Reason.GEOMETRY_MISMATCH, path.path(), String.valueOf(ex.getMessage()), ex);
        }
        catch (RuntimeException ex) {
            transport.close();
            throw ex;
        }
    }

    /**
     * Checks a segment's geometry against the configured expectations.
     *
     * @throws IllegalStateException naming every differing property with both values
     */
    public void checkGeometry(ShmConfig segment) {
        List<String> mismatches = new ArrayList<>();
        compare(mismatches, "rapace.shm.ring-capacity", this.expected.ringCapacity(), segment.ringCapacity());
        compare(mismatches, "rapace.shm.slot-size", this.expected.slotSize(), segment.slotSize());
        compare(mismatches, "rapace.shm.slot-count", this.expected.slotCount(), segment.slotCount());
        if (!mismatches.isEmpty()) {
            throw new IllegalStateException("rapace: the host's segment has " + describe(segment)
                    + ", which differs from the configured " + String.join(", ", mismatches)
                    + " (unset these properties to follow the host's geometry)");
        }
    }

    /** A segment's geometry for messages: {@code ring capacity=64, slot size=4096 bytes, slot count=32}. */
    static String describe(ShmConfig geometry) {
        return "ring capacity=" + geometry.ringCapacity() + ", slot size=" + geometry.slotSize() + " bytes, slot count="
                + geometry.slotCount();
    }

    private static void compare(List<String> mismatches, String property, @Nullable Number expected, long actual) {
        if (expected != null && expected.longValue() != actual) {
            mismatches.add(property + "=" + expected);
        }
    }

    /**
     * The geometry that the plugin expects of its host's segment; each null part follows the segment.
     *
     * @param ringCapacity descriptors per ring, or null
     * @param slotSize bytes per data slot, or null
     * @param slotCount data slots, or null
     */
    public record ExpectedGeometry(@Nullable Integer ringCapacity, @Nullable Long slotSize,
            @Nullable Integer slotCount) {

        /** Whatever geometry the host chose. */
        public static final ExpectedGeometry ANY = new ExpectedGeometry(null, null, null);
    }
}
