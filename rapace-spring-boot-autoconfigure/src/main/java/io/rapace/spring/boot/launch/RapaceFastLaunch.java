package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Makes a plain {@code java -jar PLUGIN.jar ARGS} start the plugin the fast way when the build left a trained fast
 * launch beside the jar (the launcher script {@code PLUGIN}, the extracted jar and its AOT cache in
 * {@code fast-launch/}; docs/startup.md): the plugin's {@code main} calls {@link #useIfTrained} first, and the JVM
 * replaces itself with the script in the same process (same PID, parent, standard streams), so a host that
 * launches the jar the plain way gets the fast start without changing its command.
 *
 * <p>Nothing changes for any other launch: {@code -Drapace.fast-launch=false} (on the command line or in
 * {@code JDK_JAVA_OPTIONS}), a JVM started with options of its own ({@code java -Xmx1g -jar …}), a jar without a fast launch beside
 * it, a cache older than the jar, a script or {@code fast-launch/} directory that is a symbolic link, belongs to
 * another user or is writable by others, another JDK release than the script's, the fast launch itself, a training
 * run, another OS. If the exec fails the plugin starts the plain way after one line on standard error.
 */
public final class RapaceFastLaunch {

    private RapaceFastLaunch() {
    }

    /**
     * Replaces this JVM with the plugin's fast launch when one is trained beside the jar; returns (having done
     * nothing) otherwise. Call it first in {@code main}, before anything starts a thread or opens a file that
     * matters.
     *
     * @param args the arguments of {@code main}, passed on to the fast launch unchanged
     */
    public static void useIfTrained(String[] args) {
        String javaHome = System.getProperty("java.home", "");
        FastLaunchDecision decision = FastLaunchDecision.decide(JvmCommandLine.arguments(), args, System.getenv(),
                Path.of(System.getProperty("user.dir", ".")), javaHome, Runtime.version().feature(),
                System.getProperty("os.name", ""), System.getProperty("rapace.fast-launch"));
        if (decision instanceof FastLaunchDecision.Relaunch relaunch) {
            String failure;
            try {
                Execve.closeOnExec(Set.of(relaunch.jar()), Set.of(realPath(Path.of(javaHome))));
                failure = "errno " + Execve.exec(relaunch.script().toString(), relaunch.argv(), relaunch.environment());
            }
            catch (IllegalStateException ex) {
                failure = ex.getMessage();
            }
            System.err.println("rapace: could not start the fast launch " + relaunch.script() + " (" + failure
                    + "); starting the plain way");
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        }
        catch (IOException ex) {
            return path.toAbsolutePath();
        }
    }
}
