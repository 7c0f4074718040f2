package io.rapace.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.rapace.core.runtime.RapaceConnection;
import io.rapace.core.runtime.RapacePlugin;
import io.rapace.core.service.Services;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;

/**
 * Host and plugin sessions in this JVM over a real segment file: the host creates the segment
 * ({@link ShmConfig#PLUGIN_DEFAULT}), the plugin side is {@link RapacePlugin#connect(Path)} serving the given
 * implementations. Every call goes through the rings, the slots and the codec, as between two processes.
 */
final class InJvmPluginRun implements PluginRun {

    private final RpcSession host;

    private final RapaceConnection plugin;

    private final PluginSettings settings;

    private InJvmPluginRun(RpcSession host, RapaceConnection plugin, PluginSettings settings) {
        this.host = host;
        this.plugin = plugin;
        this.settings = settings;
    }

    /** Creates the segment, starts the host session, then connects the plugin session serving {@code services}. */
    static InJvmPluginRun start(PluginSource.InJvm source, PluginSettings settings) {
        Path segment = TestSegments.newPath();
        ShmTransport transport = ShmTransport.create(segment, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults());
        RpcSession host;
        try {
            SessionOptions options = SessionOptions.defaults().withDefaultCallTimeout(settings.callTimeout());
            if (!settings.hostServices().isEmpty()) {
                options = options.withDispatcher(Services.dispatcher(settings.hostServices().toArray()));
            }
            host = RpcSession.start(transport, options);
        }
        catch (RuntimeException ex) {
            transport.close();
            transport.removeSegmentFile();
            throw ex;
        }
        try {
            RapaceConnection plugin = RapacePlugin.builder().services(source.services().toArray())
                    .callTimeout(settings.callTimeout()).build().connect(segment);
            return new InJvmPluginRun(host, plugin, settings);
        }
        catch (RuntimeException ex) {
            host.close(Duration.ZERO);
            transport.removeSegmentFile();
            throw ex;
        }
    }

    @Override
    public RpcSession session() {
        return this.host;
    }

    /** The plugin's side, whose clients call the host's services. */
    RapaceConnection pluginConnection() {
        return this.plugin;
    }

    @Override
    public Optional<Process> process() {
        return Optional.empty();
    }

    @Override
    public Optional<Path> log() {
        return Optional.empty();
    }

    @Override
    public Optional<String> logTail() {
        return Optional.empty();
    }

    @Override
    public List<String> stop() {
        List<String> problems = new ArrayList<>();
        Path segment = segment();
        try {
            this.plugin.close();
        }
        finally {
            this.host.close(this.settings.stopTimeout());
            this.host.transport().removeSegmentFile();
        }
        ProcessPluginRun.removeLeftover(segment, problems);
        return problems;
    }
}
