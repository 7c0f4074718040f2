package io.rapace.spring.boot;

import java.nio.file.Path;

import org.springframework.util.Assert;

/**
 * The segment path that the plugin attaches to, with where it was found (for logs and health details).
 *
 * @param path the segment file
 * @param origin a human-readable name of its source, for example {@code "argument --shm-path"}
 */
public record RapaceShmPath(Path path, String origin) {

    /** Checks that both parts are present. */
    public RapaceShmPath {
        Assert.notNull(path, "'path' must not be null");
        Assert.hasText(origin, "'origin' must not be empty");
    }

    @Override
    public String toString() {
        return this.path + " (from " + this.origin + ")";
    }
}
