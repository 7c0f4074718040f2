package io.rapace.test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.session.RpcSession;

/** A started plugin with its host: clients while it runs, then a stop that reports what went wrong. */
sealed interface PluginRun permits ProcessPluginRun, InJvmPluginRun, ContainerPluginRun {

    /** The host's session. */
    RpcSession session();

    /** The segment file. */
    default Path segment() {
        return session().transport().path();
    }

    /** A typed client of the plugin's service. */
    default <T> T client(Class<T> serviceInterface, ClientOptions options) {
        return RapaceClients.create(serviceInterface, session(), options);
    }

    /** The plugin process, when it has one. */
    Optional<Process> process();

    /** The file with the plugin's stdout and stderr, when it has one. */
    Optional<Path> log();

    /** The last lines of the log for a failure message, or empty. */
    Optional<String> logTail();

    /**
     * Stops the plugin and its host and removes the segment; never leaves a process or the file behind.
     *
     * @return what was wrong (the plugin did not exit cleanly, a file or process had to be removed); empty when
     *     all was well
     */
    List<String> stop();
}
