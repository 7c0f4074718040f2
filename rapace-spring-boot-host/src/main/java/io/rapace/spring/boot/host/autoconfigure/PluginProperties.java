package io.rapace.spring.boot.host.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rapace.spring.boot.host.Backoff;
import io.rapace.spring.boot.host.CallsDuringRestart;
import io.rapace.spring.boot.host.PluginDefinition;
import io.rapace.spring.boot.host.RestartPolicy;
import io.rapace.transport.shm.ShmConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The properties of one supervised plugin, under {@code rapace.plugins.<name>.*}; the same names under
 * {@code rapace.plugin-defaults.*} set the defaults of every plugin.
 */
public class PluginProperties {

    /**
     * The plugin's program and arguments; the segment path is appended as the last argument. A list
     * (comma-separated or indexed); a single value is split at white space.
     */
    private List<String> command = new ArrayList<>();

    /**
     * What goes before the segment path in the last argument: empty (the path alone), "--shm-path=" or "--addr=".
     */
    private String pathArgumentPrefix = "";

    /** Service interfaces of the plugin to register as client beans, qualified by the plugin's name. */
    private List<Class<?>> clients = new ArrayList<>();

    /** When an ended plugin is started again: never, on-failure (non-zero exit, kill, failed start) or always. */
    private RestartPolicy restart = RestartPolicy.ON_FAILURE;

    /** The delay before a restart. */
    private final BackoffProperties backoff = new BackoffProperties();

    /** How many restarts the restart window may hold; one more and the supervisor gives up (health DOWN). */
    private int maxRestarts = 5;

    /** The sliding window in which max-restarts are counted. */
    private Duration restartWindow = Duration.ofMinutes(1);

    /** How long a new process has to open the segment (its first heartbeat) before it counts as a failed start. */
    private Duration startTimeout = Duration.ofSeconds(30);

    /** How long a stop waits for the plugin to exit after SIGTERM before killing it (SIGKILL). */
    private Duration stopTimeout = Duration.ofSeconds(10);

    /** Environment variables added to the environment the plugin inherits. */
    private Map<String, String> environment = new LinkedHashMap<>();

    /** The plugin's working directory; the application's when unset. */
    private @Nullable Path workingDirectory;

    /** The segment geometry of every incarnation. */
    private final ShmProperties shm = new ShmProperties();

    /** The deadline of a client call; also how long a call waits for a restarting plugin. */
    private Duration callTimeout = Duration.ofSeconds(30);

    /** What a call does while the plugin restarts: wait (up to call-timeout) or fail-fast (UNAVAILABLE). */
    private CallsDuringRestart callsDuringRestart = CallsDuringRestart.WAIT;

    /** How long the plugin's heartbeat may stand still before it counts as stalled (health OUT_OF_SERVICE). */
    private Duration livenessTimeout = Duration.ofSeconds(3);

    public List<String> getCommand() {
        return this.command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public String getPathArgumentPrefix() {
        return this.pathArgumentPrefix;
    }

    public void setPathArgumentPrefix(String pathArgumentPrefix) {
        this.pathArgumentPrefix = pathArgumentPrefix;
    }

    public List<Class<?>> getClients() {
        return this.clients;
    }

    public void setClients(List<Class<?>> clients) {
        this.clients = clients;
    }

    public RestartPolicy getRestart() {
        return this.restart;
    }

    public void setRestart(RestartPolicy restart) {
        this.restart = restart;
    }

    public BackoffProperties getBackoff() {
        return this.backoff;
    }

    public int getMaxRestarts() {
        return this.maxRestarts;
    }

    public void setMaxRestarts(int maxRestarts) {
        this.maxRestarts = maxRestarts;
    }

    public Duration getRestartWindow() {
        return this.restartWindow;
    }

    public void setRestartWindow(Duration restartWindow) {
        this.restartWindow = restartWindow;
    }

    public Duration getStartTimeout() {
        return this.startTimeout;
    }

    public void setStartTimeout(Duration startTimeout) {
        this.startTimeout = startTimeout;
    }

    public Duration getStopTimeout() {
        return this.stopTimeout;
    }

    public void setStopTimeout(Duration stopTimeout) {
        this.stopTimeout = stopTimeout;
    }

    public Map<String, String> getEnvironment() {
        return this.environment;
    }

    public void setEnvironment(Map<String, String> environment) {
        this.environment = environment;
    }

    public @Nullable Path getWorkingDirectory() {
        return this.workingDirectory;
    }

    public void setWorkingDirectory(@Nullable Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    public ShmProperties getShm() {
        return this.shm;
    }

    public Duration getCallTimeout() {
        return this.callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    public CallsDuringRestart getCallsDuringRestart() {
        return this.callsDuringRestart;
    }

    public void setCallsDuringRestart(CallsDuringRestart callsDuringRestart) {
        this.callsDuringRestart = callsDuringRestart;
    }

    public Duration getLivenessTimeout() {
        return this.livenessTimeout;
    }

    public void setLivenessTimeout(Duration livenessTimeout) {
        this.livenessTimeout = livenessTimeout;
    }

    /** The definition of plugin {@code name}, validated (the message names the property). */
    PluginDefinition toDefinition(String name) {
        List<String> program = this.command.size() == 1 ? List.of(this.command.getFirst().trim().split("\\s+"))
                : this.command;
        ShmConfig geometry = new ShmConfig(this.shm.getRingCapacity(), Math.toIntExact(this.shm.getSlotSize().toBytes()),
                this.shm.getSlotCount());
        return new PluginDefinition(name, program, this.pathArgumentPrefix, this.environment, this.workingDirectory,
                geometry, this.restart, new Backoff(this.backoff.getInitial(), this.backoff.getMax(),
                        this.backoff.getJitter()),
                this.maxRestarts, this.restartWindow, this.startTimeout, this.stopTimeout, this.callTimeout,
                this.callsDuringRestart, this.livenessTimeout);
    }

    /** Exponential backoff with jitter between restarts. */
    public static class BackoffProperties {

        /** The delay before the first restart in a row; each further restart doubles it. */
        private Duration initial = Duration.ofMillis(200);

        /** The longest delay between restarts. */
        private Duration max = Duration.ofSeconds(30);

        /** The random spread of each delay, as a fraction of it (0.2 = plus or minus 20 %). */
        private double jitter = 0.2;

        public Duration getInitial() {
            return this.initial;
        }

        public void setInitial(Duration initial) {
            this.initial = initial;
        }

        public Duration getMax() {
            return this.max;
        }

        public void setMax(Duration max) {
            this.max = max;
        }

        public double getJitter() {
            return this.jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }
    }

    /** The segment geometry (spec §8); the default is the only one a Rust plugin can open (256, 64 KiB, 128). */
    public static class ShmProperties {

        /** Descriptors per ring (a power of two). */
        private int ringCapacity = ShmConfig.PLUGIN_DEFAULT.ringCapacity();

        /** Bytes per data slot; plain numbers are bytes. */
        @DataSizeUnit(DataUnit.BYTES)
        private DataSize slotSize = DataSize.ofBytes(ShmConfig.PLUGIN_DEFAULT.slotSize());

        /** Data slots in the segment. */
        private int slotCount = ShmConfig.PLUGIN_DEFAULT.slotCount();

        public int getRingCapacity() {
            return this.ringCapacity;
        }

        public void setRingCapacity(int ringCapacity) {
            this.ringCapacity = ringCapacity;
        }

        public DataSize getSlotSize() {
            return this.slotSize;
        }

        public void setSlotSize(DataSize slotSize) {
            this.slotSize = slotSize;
        }

        public int getSlotCount() {
            return this.slotCount;
        }

        public void setSlotCount(int slotCount) {
            this.slotCount = slotCount;
        }
    }
}
