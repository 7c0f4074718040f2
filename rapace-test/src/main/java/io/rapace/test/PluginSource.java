package io.rapace.test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What the extension starts: a process (a main class, a jar, a command) or services in this JVM. */
sealed interface PluginSource {

    /** For messages: {@code main class com.example.MyPlugin}, {@code jar plugin.jar}, ... */
    String describe();

    /** A plugin that runs as a process of its own. */
    sealed interface Launched extends PluginSource {

        /** The command line without the segment path, which the host appends. */
        List<String> command(List<String> jvmOptions, List<String> arguments);
    }

    /** {@code mainClass} from this JVM's class path, in a child JVM with the same java. */
    record MainClass(Class<?> mainClass) implements Launched {

        @Override
        public List<String> command(List<String> jvmOptions, List<String> arguments) {
            List<String> command = JavaCommand.start(jvmOptions);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(this.mainClass.getName());
            command.addAll(arguments);
            return command;
        }

        @Override
        public String describe() {
            return "main class " + this.mainClass.getName();
        }
    }

    /** An executable jar ({@code java -jar}), with this JVM's java. */
    record Jar(Path jar) implements Launched {

        @Override
        public List<String> command(List<String> jvmOptions, List<String> arguments) {
            List<String> command = JavaCommand.start(jvmOptions);
            command.add("-jar");
            command.add(this.jar.toAbsolutePath().toString());
            command.addAll(arguments);
            return command;
        }

        @Override
        public String describe() {
            return "jar " + this.jar;
        }
    }

    /** Any program (a Rust plugin, a launcher script); JVM options do not apply. */
    record Command(List<String> program) implements Launched {

        @Override
        public List<String> command(List<String> jvmOptions, List<String> arguments) {
            List<String> command = new ArrayList<>(this.program);
            command.addAll(arguments);
            return command;
        }

        @Override
        public String describe() {
            return "command " + this.program;
        }
    }

    /**
     * A plugin image run in a container ({@link RapacePluginContainer}); {@code customizer} adds options (limits,
     * environment) before it starts. The customizer is typed {@code Consumer<Object>} here so that this type
     * loads without Testcontainers on the class path.
     */
    record Container(String image, Consumer<Object> customizer) implements PluginSource {

        @Override
        public String describe() {
            return "image " + this.image;
        }
    }

    /** Service implementations served by a plugin session in this JVM. */
    record InJvm(List<Object> services) implements PluginSource {

        @Override
        public String describe() {
            return "in-JVM plugin serving " + this.services.stream().map(s -> s.getClass().getName()).toList();
        }
    }

    /** The start of a child JVM command line. */
    final class JavaCommand {

        /** Quick start-up for short-lived test plugins; the caller's options come after, so they win. */
        static final List<String> DEFAULT_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto");

        private JavaCommand() {
        }

        /** {@code JAVA --enable-native-access=ALL-UNNAMED DEFAULTS jvmOptions}, JAVA being this JVM's binary. */
        static List<String> start(List<String> jvmOptions) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // The shm transport's futex (an FFM downcall) is a restricted method: granted as the tests grant it.
            command.add("--enable-native-access=ALL-UNNAMED");
            command.addAll(DEFAULT_OPTIONS);
            command.addAll(jvmOptions);
            return command;
        }
    }
}
