package io.rapace.docs.readme.hasher;

// snippet: readme-hasher
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.rapace.core.codec.FixedLength;
import io.rapace.core.service.NonBlocking;
import io.rapace.core.service.RapaceService;

@RapaceService
public interface Hasher {
    @FixedLength(32) byte[] sha256(byte[] data);        // Hasher.sha256(data: Vec<u8>) -> [u8; 32]
}

@RapaceService
class Sha256Hasher implements Hasher {
    @NonBlocking                                        // pure computation: answered on the receiving thread
    public byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }
}
// end-snippet
