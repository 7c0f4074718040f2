package io.rapace.spring.boot.host;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Starts a plugin in a session and process group of its own, through {@code setsid} (util-linux): a Ctrl-C in the
 * application's terminal sends SIGINT to the terminal's foreground process group, which then holds the
 * application only; the application stops its plugins itself, after its drain. {@code setsid} replaces itself
 * with the plugin ({@code exec}, no fork, since a process that Java starts does not lead a process group), so
 * the process the host holds is the plugin. Where {@code setsid} is missing, the command runs as given.
 */
final class OwnProcessGroup {

    private static final Log LOG = LogFactory.getLog(OwnProcessGroup.class);

    private static final Optional<String> SETSID = find();

    private OwnProcessGroup() {
    }

    /** {@code command} run by {@code setsid}, or as it is where there is none. */
    static List<String> wrap(List<String> command) {
        if (SETSID.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID.get());
        wrapped.addAll(command);
        return wrapped;
    }

    /** Whether plugins can get a process group of their own here. */
    static boolean available() {
        return SETSID.isPresent();
    }

    private static Optional<String> find() {
        Stream<Path> candidates = Stream.concat(Stream.of(Path.of("/usr/bin"), Path.of("/bin")),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .filter((entry) -> !entry.isBlank())
                    .map(Path::of));
        Optional<String> found = candidates.map((directory) -> directory.resolve("setsid"))
            .filter(Files::isExecutable)
            .map(Path::toString)
            .findFirst();
        if (found.isEmpty()) {
            LOG.info("no setsid program here: plugins run in the application's process group, so a Ctrl-C in its "
                    + "terminal reaches them too (they then stop before the application has drained)");
        }
        return found;
    }
}
