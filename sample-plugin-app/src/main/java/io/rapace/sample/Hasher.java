package io.rapace.sample;

import io.rapace.core.codec.FixedLength;
import io.rapace.core.service.RapaceService;

/** The {@code Hasher} service, as any rapace host sees it. */
@RapaceService
public interface Hasher {

    /** {@code Hasher.sha256(data: Vec<u8>) -> [u8; 32]}: the SHA-256 digest of {@code data}. */
    @FixedLength(32) byte[] sha256(byte[] data);
}
