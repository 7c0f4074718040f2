package io.rapace.samplehost;

import io.rapace.core.codec.FixedLength;
import io.rapace.core.service.RapaceService;

/** The host's view of the plugin's {@code Hasher} service. */
@RapaceService
public interface Hasher {

    /** {@code Hasher.sha256(data: Vec<u8>) -> [u8; 32]}. */
    @FixedLength(32) byte[] sha256(byte[] data);
}
