package io.rapace.spring.boot.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of a plugin JVM's command line: the running JVM's own {@code java} binary, native access for the shm
 * transport's futex (a restricted FFM method; {@code java -jar} grants it through the jar's manifest too), then
 * the plugin's own JVM options, which come last and so win.
 */
final class JavaLauncher {

    /** Granted to every plugin JVM: the wake extension calls {@code futex} through the FFM linker. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private JavaLauncher() {
    }

    /** {@code JAVA --enable-native-access=ALL-UNNAMED jvmArgs}, JAVA being this JVM's binary. */
    static List<String> start(List<String> jvmArgs) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.add(NATIVE_ACCESS);
        command.addAll(jvmArgs);
        return command;
    }

    /** The running JVM's executable, else {@code java.home/bin/java}. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
            .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
