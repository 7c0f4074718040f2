package io.rapace.core.service;

import java.nio.charset.StandardCharsets;

/**
 * Method ids and wire names (spec §5): {@code fold(FNV-1a-64("Service.method"))} over UTF-8, where
 * {@code fold(h) = (h >>> 32) ^ (h & 0xFFFFFFFF)}. Ids need no registry: both peers compute them.
 */
public final class MethodIds {

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;

    private static final long FNV_PRIME = 0x100000001b3L;

    private MethodIds() {
    }

    /**
     * The 32-bit method id of {@code service.method}, as an {@code int} (the wire's {@code u32}; use
     * {@link Integer#toUnsignedLong(int)} to print it as the reference does).
     */
    public static int methodId(String service, String method) {
        long hash = FNV_OFFSET_BASIS;
        hash = fnv1a(hash, service.getBytes(StandardCharsets.UTF_8));
        hash = (hash ^ '.') * FNV_PRIME;
        hash = fnv1a(hash, method.getBytes(StandardCharsets.UTF_8));
        return (int) ((hash >>> 32) ^ hash);
    }

    /** The {@code "Service.method"} string whose hash is the method id, for messages. */
    public static String qualifiedName(String service, String method) {
        return service + "." + method;
    }

    /**
     * Converts a Java camelCase name to snake_case: an underscore goes before an upper-case letter that
     * follows a lower-case letter or a digit, and before the last capital of an acronym followed by a
     * lower-case letter. Digits never start a word. Examples: {@code listItems -> list_items},
     * {@code getItemById -> get_item_by_id}, {@code parseHTTPHeader -> parse_http_header},
     * {@code sha256 -> sha256}.
     */
    static String toSnakeCase(String javaName) {
        StringBuilder out = new StringBuilder(javaName.length() + 8);
        int length = javaName.length();
        for (int i = 0; i < length; i++) {
            char c = javaName.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && startsWord(javaName, i)) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean startsWord(String name, int upperIndex) {
        char previous = name.charAt(upperIndex - 1);
        if (Character.isLowerCase(previous) || Character.isDigit(previous)) {
            return true;
        }
        boolean nextIsLower = upperIndex + 1 < name.length() && Character.isLowerCase(name.charAt(upperIndex + 1));
        return Character.isUpperCase(previous) && nextIsLower;
    }

    private static long fnv1a(long hash, byte[] bytes) {
        long h = hash;
        for (byte b : bytes) {
            h ^= b & 0xFFL;
            h *= FNV_PRIME;
        }
        return h;
    }
}
