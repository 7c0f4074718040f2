package io.rapace.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOpenException;
import io.rapace.transport.shm.ShmOpenException.Reason;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Opens the host's segment as the plugin, with the timeouts of {@link RapaceProperties}, and checks the
 * geometry that the segment declares against the geometry properties that are set (spec §8: the plugin
 * follows the segment unless its user pinned a geometry).
 */
public final class RapaceTransportFactory {

    private final RapaceProperties properties;

    /** A factory configured by {@code properties}. */
    public RapaceTransportFactory(RapaceProperties properties) {
        Assert.notNull(properties, "'properties' must not be null");
        this.properties = properties;
    }

    /** The transport options derived from the properties. */
    public ShmOptions options() {
        return ShmOptions.defaults()
            .withOpenTimeout(this.properties.getShm().getWaitTimeout())
            .withLivenessTimeout(this.properties.getLivenessTimeout())
            .withPeerGoneAfter(max(this.properties.getPeerGoneAfter(), this.properties.getLivenessTimeout()));
    }

    private static Duration max(Duration a, Duration b) {
        return (a.compareTo(b) >= 0) ? a : b;
    }

    /**
     * Opens the segment at {@code path}, waiting up to {@code rapace.shm.wait-timeout} for the host.
     *
     * @throws ShmOpenException when the segment cannot be opened, or (reason {@code GEOMETRY_MISMATCH}, the
     *     segment closed again) when its geometry differs from a configured one
     */
    public ShmTransport open(RapaceShmPath path) {
        ShmTransport transport = ShmTransport.open(path.path(), options());
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
        RapaceProperties.Shm shm = this.properties.getShm();
        List<String> mismatches = new ArrayList<>();
        compare(mismatches, "rapace.shm.ring-capacity", shm.getRingCapacity(), segment.ringCapacity());
        DataSize slotSize = shm.getSlotSize();
        compare(mismatches, "rapace.shm.slot-size",
                (slotSize != null) ? Long.valueOf(slotSize.toBytes()) : null, segment.slotSize());
        compare(mismatches, "rapace.shm.slot-count", shm.getSlotCount(), segment.slotCount());
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
}
