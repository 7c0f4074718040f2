package io.rapace.sample;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.rapace.core.service.NonBlocking;
import io.rapace.core.service.RapaceService;

/**
 * Serves {@link Hasher} with the JDK's SHA-256. Hashing at most one slot (64 KiB) is bounded CPU work, so it
 * runs on the thread that received the request.
 */
@RapaceService
@NonBlocking
public class Sha256Hasher implements Hasher {

    @Override
    public byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JDK provides SHA-256", ex);
        }
    }
}
