package io.rapace.core.runtime;

import java.util.ArrayList;
import java.util.List;

/** Command lines for child JVMs running a test main class with this JVM's binary and class path. */
final class ChildJvm {

    private ChildJvm() {
    }

    static List<String> command(Class<?> mainClass, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        // The futex binding of the shm transport is a restricted method: enabled, the child prints no warning.
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        return command;
    }
}
