package io.rapace.spring.boot.host;

import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;

import io.rapace.core.runtime.RapaceHost;
import io.rapace.core.session.SessionObserver;

/** Starts the {@link RapaceHost} of one incarnation: its segment, session and process, as the definition says. */
final class IncarnationHosts {

    /** Added to the stop timeout: how long the JVM's last-resort kill waits for the orderly stop at shutdown. */
    private static final Duration JVM_EXIT_GRACE = Duration.ofSeconds(60);

    private IncarnationHosts() {
    }

    /**
     * Launches {@code plan}'s command for {@code definition}, its calls reported to {@code observer} and its output
     * piped (for {@link PluginOutput}); returns once the process runs, before the plugin's first heartbeat.
     */
    static RapaceHost start(PluginDefinition definition, IncarnationLaunch plan, SessionObserver observer) {
        RapaceHost.Builder builder = RapaceHost.builder()
            .command(plan.command())
            .pathArgumentPrefix(definition.pathArgumentPrefix())
            .config(definition.geometry())
            .environment(definition.environment())
            .stopTimeout(definition.stopTimeout())
            // The application stops its plugins gracefully on shutdown (SIGTERM after the drain): the JVM's kill is
            // only the last resort, should that not happen.
            .jvmExitGrace(definition.stopTimeout().plus(JVM_EXIT_GRACE))
            .callTimeout(definition.callTimeout())
            .livenessTimeout(definition.livenessTimeout())
            .observer(observer)
            .redirectOutput(Redirect.PIPE)
            .redirectError(Redirect.PIPE);
        if (definition.workingDirectory() != null) {
            builder.workingDirectory(definition.workingDirectory());
        }
        if (plan.segment() != null) {
            builder.path(plan.segment());
        }
        return builder.start();
    }
}
