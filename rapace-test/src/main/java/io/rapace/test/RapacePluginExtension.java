package io.rapace.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import io.rapace.core.operations.RapaceOperations;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceService;
import io.rapace.core.session.RpcSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts a plugin with a host in the test JVM and hands out typed clients of its services.
 *
 * <pre>{@code
 * @RegisterExtension
 * static RapacePluginExtension plugin = RapacePluginExtension.mainClass(CalculatorPlugin.class);
 *
 * @Test
 * void adds(Calculator calculator) {               // injected: Calculator is a @RapaceService
 *     assertThat(calculator.add(2, 3)).isEqualTo(5);
 *     assertThat(plugin.client(Calculator.class).add(1, 1)).isEqualTo(2);
 * }
 * }</pre>
 *
 * <p>The plugin runs as a child JVM ({@link #mainClass}: same java, same class path,
 * {@code --enable-native-access=ALL-UNNAMED}), as {@code java -jar} ({@link #jar}), as any program
 * ({@link #command}), or as services in this JVM over a real segment file ({@link #inJvm}). A process plugin's
 * stdout and stderr go to a log file ({@link #logFile()}); when a test fails, the last lines are printed to
 * stderr. At the end the host stops the plugin (SIGTERM, then SIGKILL after the stop timeout) and the extension
 * fails the class (or the test, {@link PluginLifecycle#PER_METHOD}) with a {@link RapacePluginException} when the
 * plugin had died, did not exit cleanly (exit code other than 0 or 143), left a child process, or left its
 * segment file; nothing is left behind either way. A plugin that dies during start-up fails with its exit code
 * and log tail.
 *
 * <p>Registered on a static field (or by {@link RapacePluginTest}) one plugin serves the whole class
 * ({@link PluginLifecycle#PER_CLASS}, also its {@code @Nested} classes); on an instance field, or with
 * {@link #perMethod()}, each test gets a fresh one. Immutable: every option returns a new extension.
 */
public final class RapacePluginExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver,
        TestWatcher {

    private final PluginSource source;

    private final PluginSettings settings;

    private final RunState state = new RunState();

    private RapacePluginExtension(PluginSource source, PluginSettings settings) {
        this.source = source;
        this.settings = settings;
    }

    /** The plugin {@code mainClass} from the test class path, in a child JVM with this JVM's java. */
    public static RapacePluginExtension mainClass(Class<?> mainClass) {
        return new RapacePluginExtension(new PluginSource.MainClass(Objects.requireNonNull(mainClass, "mainClass")),
                PluginSettings.DEFAULTS);
    }

    /** The plugin as an executable jar, run with this JVM's {@code java -jar}. */
    public static RapacePluginExtension jar(Path jar) {
        return new RapacePluginExtension(new PluginSource.Jar(Objects.requireNonNull(jar, "jar")),
                PluginSettings.DEFAULTS);
    }

    /** The plugin as any program (for example a Rust plugin); the segment path is appended as its last argument. */
    public static RapacePluginExtension command(String... program) {
        if (program.length == 0) {
            throw new IllegalArgumentException("command(...) needs at least the program to run");
        }
        return new RapacePluginExtension(new PluginSource.Command(List.of(program)), PluginSettings.DEFAULTS);
    }

    /**
     * The plugin image {@code image} (for example {@code rapace/sample-plugin:dev}) in a container that shares the
     * host's segment ({@link RapacePluginContainer}: the segment's directory bind-mounted, the path as
     * {@code --shm-path=PATH}, the segment owner's uid:gid, no network). Without a reachable Docker engine the
     * tests are skipped (a JUnit assumption) with a message saying so.
     */
    public static RapacePluginExtension container(String image) {
        return container(image, container -> {
        });
    }

    /**
     * {@link #container(String)} with options for the container before it starts, for example
     * {@code c -> c.withCpus(1).withMemoryLimit(512L << 20)}.
     */
    public static RapacePluginExtension container(String image,
            java.util.function.Consumer<? super RapacePluginContainer> customizer) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(customizer, "customizer");
        @SuppressWarnings("unchecked")
        java.util.function.Consumer<Object> untyped = (java.util.function.Consumer<Object>) (java.util.function.Consumer<?>) customizer;
        return new RapacePluginExtension(new PluginSource.Container(image, untyped), PluginSettings.DEFAULTS);
    }

    /**
     * The plugin's service implementations served in this JVM: host and plugin sessions over a real segment
     * file, no second process. Fast, for service tests; the plugin's {@code main} is not run.
     */
    public static RapacePluginExtension inJvm(Object... services) {
        if (services.length == 0) {
            throw new IllegalArgumentException("inJvm(...) needs at least one service implementation");
        }
        return new RapacePluginExtension(new PluginSource.InJvm(List.of(services)), PluginSettings.DEFAULTS);
    }

    /** Options of the plugin's JVM, after the kit's defaults (so they win); not for {@link #command}. */
    public RapacePluginExtension jvmOptions(String... options) {
        return with(s -> new PluginSettings(List.of(options), s.arguments(), s.hostServices(), s.startTimeout(),
                s.stopTimeout(), s.callTimeout(), s.lifecycle(), s.logTailLines(), s.pathArgumentPrefix()));
    }

    /** Plugin arguments, before the segment path (for example {@code --spring.profiles.active=test}). */
    public RapacePluginExtension arguments(String... arguments) {
        return with(s -> new PluginSettings(s.jvmOptions(), List.of(arguments), s.hostServices(), s.startTimeout(),
                s.stopTimeout(), s.callTimeout(), s.lifecycle(), s.logTailLines(), s.pathArgumentPrefix()));
    }

    /** Services the host serves to the plugin. */
    public RapacePluginExtension hostServices(Object... services) {
        return with(s -> new PluginSettings(s.jvmOptions(), s.arguments(), List.of(services), s.startTimeout(),
                s.stopTimeout(), s.callTimeout(), s.lifecycle(), s.logTailLines(), s.pathArgumentPrefix()));
    }

    /** How long the plugin may take to open its segment; default 60 s. */
    public RapacePluginExtension startTimeout(Duration timeout) {
        return with(s -> new PluginSettings(s.jvmOptions(), s.arguments(), s.hostServices(), timeout,
                s.stopTimeout(), s.callTimeout(), s.lifecycle(), s.logTailLines(), s.pathArgumentPrefix()));
    }

    /** How long the plugin may take to exit after SIGTERM before it is killed and reported; default 15 s. */
    public RapacePluginExtension stopTimeout(Duration timeout) {
        return with(s -> new PluginSettings(s.jvmOptions(), s.arguments(), s.hostServices(), s.startTimeout(),
                timeout, s.callTimeout(), s.lifecycle(), s.logTailLines(), s.pathArgumentPrefix()));
    }

    /** The default deadline of client calls; default 30 s. */
    public RapacePluginExtension callTimeout(Duration timeout) {
        return with(s -> new PluginSettings(s.jvmOptions(), s.arguments(), s.hostServices(), s.startTimeout(),
                s.stopTimeout(), timeout, s.lifecycle(), s.logTailLines(), s.pathArgumentPrefix()));
    }

    /** A fresh plugin for each test (also what an extension on an instance field does). */
    public RapacePluginExtension perMethod() {
        return lifecycle(PluginLifecycle.PER_METHOD);
    }

    /** Per class (the default for a static field) or per test. */
    public RapacePluginExtension lifecycle(PluginLifecycle lifecycle) {
        Objects.requireNonNull(lifecycle, "lifecycle");
        return with(s -> new PluginSettings(s.jvmOptions(), s.arguments(), s.hostServices(), s.startTimeout(),
                s.stopTimeout(), s.callTimeout(), lifecycle, s.logTailLines(), s.pathArgumentPrefix()));
    }

    /** How many lines of the plugin's log a failure shows; default 40. */
    public RapacePluginExtension logTailLines(int lines) {
        return with(s -> new PluginSettings(s.jvmOptions(), s.arguments(), s.hostServices(), s.startTimeout(),
                s.stopTimeout(), s.callTimeout(), s.lifecycle(), lines, s.pathArgumentPrefix()));
    }

    /** What goes before the segment path in the last argument, e.g. {@code --shm-path=}; default none. */
    public RapacePluginExtension pathArgumentPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return with(s -> new PluginSettings(s.jvmOptions(), s.arguments(), s.hostServices(), s.startTimeout(),
                s.stopTimeout(), s.callTimeout(), s.lifecycle(), s.logTailLines(), prefix));
    }

    private RapacePluginExtension with(UnaryOperator<PluginSettings> change) {
        return new RapacePluginExtension(this.source, change.apply(this.settings));
    }

    /** A client of the plugin's service {@code serviceInterface}, with the call timeout. */
    public <T> T client(Class<T> serviceInterface) {
        return client(serviceInterface, ClientOptions.defaults().withTimeout(this.settings.callTimeout()));
    }

    /** A client of the plugin's service {@code serviceInterface}. */
    public <T> T client(Class<T> serviceInterface, ClientOptions options) {
        return running().client(serviceInterface, options);
    }

    /** The plugin's operations service (health, meters). */
    public RapaceOperations operations() {
        return client(RapaceOperations.class);
    }

    /** The host's session, for raw calls. */
    public RpcSession session() {
        return running().session();
    }

    /** The segment file. */
    public Path segmentPath() {
        return running().segment();
    }

    /** The plugin's container; empty unless the plugin runs in one ({@link #container(String)}). */
    public Optional<RapacePluginContainer> container() {
        return running() instanceof ContainerPluginRun image ? Optional.of(image.container()) : Optional.empty();
    }

    /** The plugin process; empty in the in-JVM and container modes. */
    public Optional<Process> process() {
        return running().process();
    }

    /** The file with the plugin's stdout and stderr; empty in the in-JVM mode. */
    public Optional<Path> logFile() {
        return running().log();
    }

    /**
     * A client of a service that the <em>host</em> serves ({@link #hostServices}), as the plugin calls it; only
     * in the in-JVM mode.
     */
    public <T> T pluginSideClient(Class<T> hostServiceInterface) {
        if (!(running() instanceof InJvmPluginRun inJvm)) {
            throw new IllegalStateException("pluginSideClient(...) exists only in the in-JVM mode; " + this.source
                    .describe() + " runs in a process of its own");
        }
        return inJvm.pluginConnection().client(hostServiceInterface);
    }

    private PluginRun running() {
        PluginRun run = this.state.run;
        if (run == null) {
            throw new IllegalStateException("the plugin (" + this.source.describe() + ") is not running: use the "
                    + "extension inside a test of the class that registers it (@RegisterExtension), "
                    + "after its start (not in a constructor of a PER_METHOD test)");
        }
        return run;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Without an engine every test is skipped one by one (reported as skipped, with the reason).
        if (this.source instanceof PluginSource.Container image) {
            this.state.skipReason = ContainerPluginRun.engineMissing(image);
            if (this.state.skipReason.isPresent()) {
                return;
            }
        }
        if (this.settings.lifecycle() == PluginLifecycle.PER_CLASS && this.state.run == null) {
            start(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        this.state.skipReason.ifPresent(org.junit.jupiter.api.Assumptions::abort);
        if (this.state.run == null) {
            start(context);
        }
        injectFields(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopIfStartedBy(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopIfStartedBy(context);
    }

    @Override
    public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
        PluginRun run = this.state.run;
        Optional<String> tail = run != null ? run.logTail() : this.state.lastTail;
        tail.ifPresent(text -> System.err.println("[rapace-test] " + context.getDisplayName() + " failed; " + text));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == RapacePluginExtension.class || isClientSlot(type, parameterContext.getParameter());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter parameter = parameterContext.getParameter();
        if (parameter.getType() == RapacePluginExtension.class) {
            return this;
        }
        if (this.state.run == null) {
            throw new ParameterResolutionException("cannot inject a client of " + parameter.getType().getName()
                    + " into " + parameter + ": the plugin (" + this.source.describe() + ") is not running yet "
                    + "(a PER_METHOD plugin starts after the test instance is made: use a method parameter or field)");
        }
        return client(parameter.getType());
    }

    private static boolean isClientSlot(Class<?> type, java.lang.reflect.AnnotatedElement element) {
        return type.isInterface()
                && (element.isAnnotationPresent(RapaceClient.class) || type.isAnnotationPresent(RapaceService.class));
    }

    private void injectFields(ExtensionContext context) throws IllegalAccessException {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Class<?> type = instance.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (field.isAnnotationPresent(RapaceClient.class) && !Modifier.isStatic(field.getModifiers())) {
                        if (!field.getType().isInterface()) {
                            throw new IllegalStateException("@RapaceClient field " + field + " must have a service "
                                    + "interface type, not " + field.getType().getName());
                        }
                        field.setAccessible(true);
                        field.set(instance, client(field.getType()));
                    }
                }
            }
        }
    }

    private void start(ExtensionContext context) {
        String name = context.getTestClass().map(Class::getSimpleName).orElse("plugin")
                + context.getTestMethod().map(m -> "." + m.getName()).orElse("");
        PluginRun run = switch (this.source) {
            case PluginSource.Launched launched -> ProcessPluginRun.start(launched, this.settings, name);
            case PluginSource.InJvm inJvm -> InJvmPluginRun.start(inJvm, this.settings);
            case PluginSource.Container image -> ContainerPluginRun.start(image, this.settings, name);
        };
        this.state.run = run;
        this.state.owner = context.getUniqueId();
        this.state.lastTail = Optional.empty();
    }

    private void stopIfStartedBy(ExtensionContext context) {
        PluginRun run = this.state.run;
        if (run == null || !context.getUniqueId().equals(this.state.owner)) {
            return;
        }
        Optional<String> tail;
        List<String> problems;
        try {
            problems = run.stop();
        }
        finally {
            tail = run.logTail();
            this.state.lastTail = tail;
            this.state.run = null;
            this.state.owner = null;
        }
        if (!problems.isEmpty()) {
            List<String> lines = new ArrayList<>(problems);
            tail.ifPresent(lines::add);
            throw new RapacePluginException(String.join("\n", lines), run.process().map(Process::exitValue)
                    .orElse(null), null);
        }
    }

    @Override
    public String toString() {
        return "RapacePluginExtension[" + this.source.describe() + ", " + this.settings.lifecycle() + "]";
    }

    /** What runs now, and which test or class started it (only that one stops it). */
    private static final class RunState {

        volatile @Nullable PluginRun run;

        volatile @Nullable String owner;

        volatile Optional<String> lastTail = Optional.empty();

        volatile Optional<String> skipReason = Optional.empty();
    }
}
