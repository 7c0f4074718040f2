package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Whether a plain {@code java -jar PLUGIN.jar ARGS} should become the plugin's fast launch, and with what command.
 * Closed: either {@link Relaunch} (run the launcher script the build left beside the jar, in this process) or
 * {@link Plain} (start as launched, with the reason).
 *
 * <p>The fast launch is the layout the build leaves for a plugin named {@code NAME} (docs/startup.md): the jar
 * {@code NAME.jar}, beside it the executable launcher script {@code NAME}, and {@code fast-launch/NAME.jar} (the
 * extracted jar) with {@code fast-launch/NAME.aot}, the AOT cache trained on it. A relaunch is chosen only when all
 * of this holds:
 * <ul>
 * <li>the system property {@code rapace.fast-launch} is not {@code false} (it can also come from
 * {@code JDK_JAVA_OPTIONS}, which the command line does not show);</li>
 * <li>the JVM was started as exactly {@code java -jar JAR …}, with no JVM option but
 * {@code --enable-native-access=ALL-UNNAMED} (which the script gives too): any other option, such as
 * {@code -Drapace.fast-launch=false} or {@code -Xmx1g}, keeps the launch as it was asked for, since the script
 * could not pass it on;</li>
 * <li>the script is a regular, executable file, the extracted jar is there, and the cache is newer than the jar
 * being run (a jar rebuilt after the last training gets no stale cache);</li>
 * <li>the script and the {@code fast-launch} directory are no symbolic links, belong to the jar's owner and are not
 * writable by others (beside a jar in {@code /tmp}, another user could put a script);</li>
 * <li>the launch is not a training ({@code RAPACE_AOT_TRAIN}) and the OS is Linux.</li>
 * </ul>
 * The script runs with the environment as it is, {@code JAVA_HOME} set to the running JVM's home so that it starts
 * the same JDK.
 */
sealed interface FastLaunchDecision {

    /** The one JVM option a host may give and still get the fast launch: the script gives it too. */
    String SCRIPT_OPTION = "--enable-native-access=ALL-UNNAMED";

    /**
     * The JDK release the launcher script runs (the template {@code src/main/launcher/fast-launch} of this module
     * takes {@code JAVA_HOME} only when it is this release, else the JDK that built the plugin): a JVM of another
     * release starts as launched, rather than hand the plugin over to a JDK the host did not choose.
     */
    int SCRIPT_JDK_FEATURE = 25;

    /**
     * Run {@code script} in place of this process, with {@code argv} and {@code environment}; {@code jar} is the
     * real path of the jar this JVM runs.
     */
    record Relaunch(Path jar, Path script, List<String> argv, Map<String, String> environment)
            implements FastLaunchDecision {
        public Relaunch {
            argv = List.copyOf(argv);
            environment = Map.copyOf(environment);
        }
    }

    /** Start as launched; {@code reason} says why not the fast launch. */
    record Plain(String reason) implements FastLaunchDecision {
    }

    /**
     * Decides.
     *
     * @param jvmArguments the JVM's command line after the {@code java} binary ({@code /proc/self/cmdline})
     * @param args the arguments {@code main} was given, passed on unchanged
     * @param environment this process's environment
     * @param workingDirectory where a relative jar path is resolved
     * @param javaHome the running JVM's {@code java.home}
     * @param jdkFeature the running JVM's feature release ({@code Runtime.version().feature()})
     * @param osName {@code os.name}
     * @param property the system property {@code rapace.fast-launch}, if set ({@code false} declines)
     */
    static FastLaunchDecision decide(List<String> jvmArguments, String[] args, Map<String, String> environment,
            Path workingDirectory, String javaHome, int jdkFeature, String osName, @Nullable String property) {
        String refused = refusedByThisRun(environment, jdkFeature, osName, property);
        if (refused != null) {
            return new Plain(refused);
        }
        int first = 0;
        while (first < jvmArguments.size() && jvmArguments.get(first).equals(SCRIPT_OPTION)) {
            first++;
        }
        if (jvmArguments.size() < first + 2 || !jvmArguments.get(first).equals("-jar")) {
            return new Plain("the JVM was not started as 'java -jar JAR' without options of its own");
        }
        Path jar = workingDirectory.resolve(jvmArguments.get(first + 1)).normalize();
        FastLaunchLayout layout = FastLaunchLayout.beside(jar);
        if (layout == null) {
            return new Plain("the launched file " + jar + " is not a .jar");
        }
        String unusable = layout.whyNotUsable();
        if (unusable != null) {
            return new Plain(unusable);
        }
        Path realJar;
        try {
            realJar = jar.toRealPath();
        }
        catch (IOException ex) {
            return new Plain("cannot resolve " + jar + ": " + ex.getMessage());
        }
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add(layout.script().toString());
        argv.addAll(List.of(args));
        Map<String, String> scriptEnvironment = new LinkedHashMap<>(environment);
        scriptEnvironment.put("JAVA_HOME", javaHome);
        return new Relaunch(realJar, layout.script(), argv, scriptEnvironment);
    }

    /** Why this run declines whatever it was launched with, or null: switched off, not Linux, another JDK, training. */
    private static @Nullable String refusedByThisRun(Map<String, String> environment, int jdkFeature, String osName,
            @Nullable String property) {
        if ("false".equalsIgnoreCase(property)) {
            return "rapace.fast-launch=false";
        }
        if (!osName.startsWith("Linux")) {
            return "the fast launch is made for Linux, this is " + osName;
        }
        if (jdkFeature != SCRIPT_JDK_FEATURE) {
            return "the fast launch runs JDK " + SCRIPT_JDK_FEATURE + ", this is JDK " + jdkFeature;
        }
        if (environment.containsKey(FastLaunchTraining.TRAIN_VARIABLE)) {
            return FastLaunchTraining.TRAIN_VARIABLE
                    + " is set: a training run starts through the launcher script itself";
        }
        return null;
    }
}
