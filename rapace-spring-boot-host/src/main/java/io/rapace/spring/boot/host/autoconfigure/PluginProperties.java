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
     * Launch form "command": the plugin's program and arguments; the segment path is appended as the last argument.
     * A list (comma-separated or indexed); a single value is split at white space. Exactly one of command, jar,
     * main-class and image is set per plugin.
     */
    private List<String> command = new ArrayList<>();

    /**
     * Launch form "jar": an executable jar, run as "java [jvm-args] -jar JAR [arguments] SEGMENT" with the running
     * JVM's java. A relative path is relative to the plugin's working directory.
     */
    private @Nullable Path jar;

    /**
     * Launch form "main-class": a class with a main method, run as "java [jvm-args] -cp CLASSPATH MAIN-CLASS
     * [arguments] SEGMENT" with the running JVM's java.
     */
    private @Nullable String mainClass;

    /**
     * The class path of main-class, a list of entries; the application's own class path (java.class.path) when
     * unset, which suits an application started from a class path rather than from a Spring Boot jar.
     */
    private List<String> classpath = new ArrayList<>();

    /**
     * Options of the plugin's JVM (jar and main-class), after --enable-native-access=ALL-UNNAMED, which every plugin
     * JVM gets. A list; a single value is split at white space.
     */
    private List<String> jvmArgs = new ArrayList<>();

    /**
     * The plugin's arguments (jar, main-class and image), before the segment path. A list; a single value is split
     * at white space.
     */
    private List<String> arguments = new ArrayList<>();

    /**
     * Launch form "image": a container image run by the container engine's command line, each incarnation's
     * segment in a directory of its own that is mounted into the container at the same path (docs/containers.md).
     */
    private @Nullable String image;

    /** How an image is run (launch form "image" only). */
    private final ContainerProperties container = new ContainerProperties();

    /**
     * Whether the plugin runs in a session and process group of its own (through setsid, where there is one), so
     * that a Ctrl-C in the application's terminal reaches the application only, which then stops the plugin after
     * its drain.
     */
    private boolean ownProcessGroup = true;

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

    /**
     * How long the plugin may stay stalled (its heartbeat standing still while its process lives: stopped, in an
     * endless GC pause, deadlocked) before the supervisor kills it (SIGKILL) and restarts it as after a failure; at
     * least liveness-timeout. The default is the 30 s after which a peer that nobody watches counts as gone.
     */
    private Duration stallTimeout = Duration.ofSeconds(30);

    public List<String> getCommand() {
        return this.command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public @Nullable Path getJar() {
        return this.jar;
    }

    public void setJar(@Nullable Path jar) {
        this.jar = jar;
    }

    public @Nullable String getMainClass() {
        return this.mainClass;
    }

    public void setMainClass(@Nullable String mainClass) {
        this.mainClass = mainClass;
    }

    public List<String> getClasspath() {
        return this.classpath;
    }

    public void setClasspath(List<String> classpath) {
        this.classpath = classpath;
    }

    public List<String> getJvmArgs() {
        return this.jvmArgs;
    }

    public void setJvmArgs(List<String> jvmArgs) {
        this.jvmArgs = jvmArgs;
    }

    public List<String> getArguments() {
        return this.arguments;
    }

    public void setArguments(List<String> arguments) {
        this.arguments = arguments;
    }

    public @Nullable String getImage() {
        return this.image;
    }

    public void setImage(@Nullable String image) {
        this.image = image;
    }

    public ContainerProperties getContainer() {
        return this.container;
    }

    public boolean isOwnProcessGroup() {
        return this.ownProcessGroup;
    }

    public void setOwnProcessGroup(boolean ownProcessGroup) {
        this.ownProcessGroup = ownProcessGroup;
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

    public Duration getStallTimeout() {
        return this.stallTimeout;
    }

    public void setStallTimeout(Duration stallTimeout) {
        this.stallTimeout = stallTimeout;
    }

    /**
     * The definition of plugin {@code name}, validated (the message names the property); {@code own} holds only the
     * plugin's own properties, without the defaults, to tell which launch form it chose.
     */
    PluginDefinition toDefinition(String name, PluginProperties own) {
        ShmConfig geometry = new ShmConfig(this.shm.getRingCapacity(), Math.toIntExact(this.shm.getSlotSize().toBytes()),
                this.shm.getSlotCount());
        return new PluginDefinition(name, PluginLaunchResolver.resolve(name, this, own), this.pathArgumentPrefix,
                this.environment, this.workingDirectory, this.ownProcessGroup, geometry, this.restart,
                new Backoff(this.backoff.getInitial(), this.backoff.getMax(), this.backoff.getJitter()),
                this.maxRestarts, this.restartWindow, this.startTimeout, this.stopTimeout, this.callTimeout,
                this.callsDuringRestart, this.livenessTimeout, this.stallTimeout);
    }

    /** How a container image is run (launch form "image"). */
    public static class ContainerProperties {

        /** The container engine's command line program: docker, or podman (same "run" options). */
        private String engine = "docker";

        /** The container's network: none, unless the plugin needs one (the segment needs none). */
        private String network = "none";

        /**
         * More options of "run", after those the host sets (--rm, --name, --label, --network, --user, --volume):
         * limits such as --cpus=1, --memory=512m, --pids-limit=200, --cap-drop=ALL. A list; a single value is split
         * at white space.
         */
        private List<String> options = new ArrayList<>();

        public String getEngine() {
            return this.engine;
        }

        public void setEngine(String engine) {
            this.engine = engine;
        }

        public String getNetwork() {
            return this.network;
        }

        public void setNetwork(String network) {
            this.network = network;
        }

        public List<String> getOptions() {
            return this.options;
        }

        public void setOptions(List<String> options) {
            this.options = options;
        }
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
