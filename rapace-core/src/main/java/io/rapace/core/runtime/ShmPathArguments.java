package io.rapace.core.runtime;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.rapace.core.runtime.RapaceRuntimeException.Kind;

/**
 * The one parser of a plugin's command line (spec §8), shared by {@link RapacePlugin} and the Spring starter.
 * Accepted forms, first match wins in this order: {@code --shm-path=PATH}, {@code --rapace.shm.path=PATH},
 * {@code --addr=PATH}, then the first positional argument. A named option wins over a positional argument
 * wherever it appears.
 *
 * <p>A positional argument is one that does not start with {@code -}: the spec says "not starting with
 * {@code --}", but a single-dash word such as {@code -h} is never a segment path a host passes (hosts pass
 * absolute paths), and taking it for one makes the plugin wait for a file named {@code -h}. A path that
 * really starts with a dash is passed as {@code --shm-path=PATH}. {@code -h}, {@code -help}, {@code --help}
 * and {@code -?} ask for {@link #USAGE}.
 */
public final class ShmPathArguments {

    /** The named options that carry the path, in order of precedence. */
    public static final List<String> OPTION_PREFIXES = List.of("--shm-path=", "--rapace.shm.path=", "--addr=");

    /** What a plugin prints for {@code --help}: how its host starts it. */
    public static final String USAGE = """
            This program is a rapace plugin: its host process starts it and passes the shared-memory segment
            it created, as one of
              --shm-path=PATH          (the rapace convention; also --rapace.shm.path=PATH or --addr=PATH)
              PATH                     (the first argument that does not start with '-')
            The plugin waits up to 5 s for the host's file, serves its services until the host closes the
            session (exit 0) or dies (exit 1), and ends on SIGTERM after draining its calls.
            To try it, start it from a host: a rapace host (Rust or Java, e.g. io.rapace.core.runtime.RapaceHost)
            creates the segment and appends its path to this command line.""";

    private static final List<String> HELP = List.of("-h", "-help", "--help", "-?");

    private ShmPathArguments() {
    }

    /**
     * Where the path was found: the path and the argument form that carried it (for messages, e.g.
     * {@code "argument --shm-path"} or {@code "first positional argument"}).
     */
    public record Match(Path path, String origin) {
    }

    /** Whether the arguments ask for {@link #USAGE} ({@code -h}, {@code -help}, {@code --help}, {@code -?}). */
    public static boolean isHelp(String[] args) {
        for (String arg : args) {
            if (HELP.contains(arg)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The segment path, or empty when no argument carries one.
     *
     * @throws RapaceRuntimeException of kind {@link Kind#BAD_ARGUMENT} when an option has no or an empty value,
     *     or the value is not a valid path
     */
    public static Optional<Path> parse(String[] args) {
        return locate(args).map(Match::path);
    }

    /**
     * The segment path and the argument form that carried it, or empty when no argument carries one.
     *
     * @throws RapaceRuntimeException of kind {@link Kind#BAD_ARGUMENT} as {@link #parse}
     */
    public static Optional<Match> locate(String[] args) {
        for (String prefix : OPTION_PREFIXES) {
            String option = prefix.substring(0, prefix.length() - 1);
            for (String arg : args) {
                if (arg.startsWith(prefix)) {
                    return Optional.of(new Match(toPath(arg, arg.substring(prefix.length())), "argument " + option));
                }
                if (arg.equals(option)) {
                    throw new RapaceRuntimeException(Kind.BAD_ARGUMENT, "argument " + option + " has no value: expected "
                            + option + "=PATH naming the shared-memory segment file");
                }
            }
        }
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return Optional.of(new Match(toPath(arg, arg), "first positional argument"));
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
                        + " positional argument); a rapace host does this when it starts its plugin"));
    }

    private static Path toPath(String arg, String value) {
        if (value.isBlank()) {
            String option = arg.equals(value) ? "" : arg.substring(0, arg.length() - value.length() - 1);
            throw new RapaceRuntimeException(Kind.BAD_ARGUMENT, arg.equals(value)
                    ? "empty segment path in argument '" + arg + "': expected a file path"
                    : "argument " + option + " has no value: empty segment path in argument '" + arg
                            + "': expected a file path after '='");
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
