package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.loader.jarmode.JarMode;
import org.springframework.boot.loader.jarmode.JarModeErrorException;

/**
 * The jar mode {@value #MODE}: {@code java -Djarmode=rapace-fast-launch -jar PLUGIN.jar [PLUGIN_ARGUMENT...]} makes
 * the plugin's fast launch beside its Boot jar in one step, in the layout {@link RapaceFastLaunch} hands a plain
 * {@code java -jar PLUGIN.jar} over to: {@code fast-launch/} with the jar extracted into it (by Spring Boot's
 * {@code tools} jar mode), the launcher script {@code PLUGIN}, and the AOT cache {@code fast-launch/PLUGIN.aot}
 * trained on a real session ({@link FastLaunchTraining}; the {@code PLUGIN_ARGUMENT}s go to that training launch).
 * Listed in this module's {@code META-INF/spring.factories}, which Boot's {@code JarModeRunner} reads.
 */
final class FastLaunchJarMode implements JarMode {

    /** The mode's name, the value of {@code -Djarmode}. */
    static final String MODE = "rapace-fast-launch";

    /** How long each step of the training may take (a loaded build machine is slow). */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private static final String USAGE = """
            Usage: java -Djarmode=rapace-fast-launch -jar PLUGIN.jar [PLUGIN_ARGUMENT...]

            Makes the fast launch of the plugin PLUGIN.jar beside it: fast-launch/ (the jar extracted, with a JDK AOT
            cache trained on a real session) and the launcher script PLUGIN, which takes the jar's arguments. A plain
            'java -jar PLUGIN.jar' then hands over to it when the plugin's main calls RapaceFastLaunch.useIfTrained
            first. The training starts the plugin once through the script, under a host that reads its health and
            meters, with the PLUGIN_ARGUMENTs before --shm-path=PATH. Run it again after each build of the jar: a
            cache older than the jar is never used.
            """;

    @Override
    public boolean accepts(String mode) {
        return MODE.equals(mode);
    }

    @Override
    public void run(String mode, String[] args) {
        List<String> arguments = Arrays.asList(args);
        if (arguments.contains("--help") || arguments.contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        FastLaunchLayout layout = layoutOfThisJar();
        String javaHome = System.getProperty("java.home", "");
        String script;
        try {
            script = LauncherTemplate.fill(LauncherTemplate.read(), LauncherTemplate.bootJarValues(layout.name(),
                    javaHome, "java -Djarmode=" + MODE + " -jar " + layout.jar().getFileName()));
        }
        catch (IllegalArgumentException | IllegalStateException ex) {
            throw new JarModeErrorException(ex.getMessage());
        }
        FastLaunchFiles files = new FastLaunchFiles(layout, javaHome);
        FastLaunchTraining training = new FastLaunchTraining(layout, PATIENCE);
        long start = System.nanoTime();
        try {
            if (!files.grantsNativeAccess()) {
                System.out.println("rapace-fast-launch: note: " + layout.jar().getFileName() + " has no manifest entry "
                        + "'Enable-Native-Access: ALL-UNNAMED', so each plain java -jar start prints the JDK's warning "
                        + "about the transport's native calls (the fast launch's script grants the access itself)");
            }
            files.clearEarlier();
            System.out.println("rapace-fast-launch: extracting " + layout.jar() + " into " + layout.fastLaunch());
            files.extract();
            files.writeScript(script);
            System.out.println("rapace-fast-launch: training the AOT cache on a session (the plugin's output: "
                    + layout.trainingLog() + ")");
            if (!training.run(arguments)) {
                System.out.println("rapace-fast-launch: the plugin serves no RapaceOperations "
                        + "(rapace.operations.enabled=false): the cache holds its start and session, no call");
            }
            System.out.printf("rapace-fast-launch: %s is ready (AOT cache %s, %d KiB) in %.1f s; a plain 'java -jar "
                    + "%s' hands over to it when the plugin's main calls RapaceFastLaunch.useIfTrained(args)%n",
                    layout.script(), layout.cache(), Files.size(layout.cache()) / 1024,
                    (System.nanoTime() - start) / 1e9, layout.jar().getFileName());
        }
        catch (IOException ex) {
            throw new JarModeErrorException("rapace-fast-launch: " + ex.getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new JarModeErrorException("rapace-fast-launch: interrupted");
        }
    }

    /** The layout beside the jar this JVM runs ({@code java … -jar JAR}). */
    private static FastLaunchLayout layoutOfThisJar() {
        String jar = JvmCommandLine.jar(JvmCommandLine.arguments());
        if (jar == null) {
            throw new JarModeErrorException("rapace-fast-launch: cannot tell which jar this JVM runs; start it as "
                    + "java -Djarmode=" + MODE + " -jar PLUGIN.jar (on Linux)");
        }
        Path path = Path.of(jar).toAbsolutePath().normalize();
        FastLaunchLayout layout = FastLaunchLayout.beside(path);
        if (layout == null || !Files.isRegularFile(path)) {
            throw new JarModeErrorException("rapace-fast-launch: " + path
                    + " is not a jar file NAME.jar in a directory");
        }
        return layout;
    }
}
