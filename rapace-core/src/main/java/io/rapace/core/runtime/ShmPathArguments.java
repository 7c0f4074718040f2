package io.rapace.core.runtime;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.rapace.core.runtime.RapaceRuntimeException.Kind;

/**
 * Finds the segment path in a plugin's command line (spec §8). Accepted forms, first match wins in this
 * order: {@code --shm-path=PATH}, {@code --rapace.shm.path=PATH}, {@code --addr=PATH}, then the first
 * positional argument (the first argument that does not start with {@code --}). A named option wins
 * over a positional argument wherever it appears.
 */
public final class ShmPathArguments {

    /** The named options that carry the path, in order of precedence. */
    public static final List<String> OPTION_PREFIXES = List.of("--shm-path=", "--rapace.shm.path=", "--addr=");

    private ShmPathArguments() {
    }

    /**
     * The segment path, or empty when no argument carries one.
     *
     * @throws RapaceRuntimeException of kind {@link Kind#BAD_ARGUMENT} when an option has an empty value or
     *     the value is not a valid path
     */
    public static Optional<Path> parse(String[] args) {
        for (String prefix : OPTION_PREFIXES) {
            for (String arg : args) {
                if (arg.startsWith(prefix)) {
                    return Optional.of(toPath(arg, arg.substring(prefix.length())));
                }
            }
        }
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                return Optional.of(toPath(arg, arg));
            }
        }
        return Optional.empty();
    }

    /**
     * The segment path, required.
     *
     * @throws RapaceRuntimeException of kind {@link Kind#MISSING_ARGUMENT} when no argument carries a path,
     *     {@link Kind#BAD_ARGUMENT} when one carries an unusable value
     */
    public static Path require(String[] args) {
        return parse(args).orElseThrow(() -> new RapaceRuntimeException(Kind.MISSING_ARGUMENT,
                "no shared-memory segment path in the arguments " + List.of(args)
                        + ": pass --shm-path=PATH (or --rapace.shm.path=PATH, --addr=PATH, or PATH as the first"
                        + " positional argument)"));
    }

    private static Path toPath(String arg, String value) {
        if (value.isBlank()) {
            throw new RapaceRuntimeException(Kind.BAD_ARGUMENT, "empty segment path in argument '" + arg + "': "
                    + (arg.equals(value) ? "expected a file path" : "expected a file path after '='"));
        }
        try {
            return Path.of(value);
        }
        catch (InvalidPathException ex) {
            throw new RapaceRuntimeException(Kind.BAD_ARGUMENT,
                    "invalid segment path '" + value + "' in argument '" + arg + "': " + ex.getMessage(), ex);
        }
    }
}
