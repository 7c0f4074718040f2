package io.rapace.spring.boot.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a plugin's process is started: exactly one of a command, an executable jar, a main class on a class path, or
 * a container image. The segment path is always the last argument (after the definition's path-argument prefix).
 */
public sealed interface PluginLaunch permits PluginLaunch.Command, PluginLaunch.Jar, PluginLaunch.MainClass,
        PluginLaunch.Image {

    /** For messages: {@code command [./plugin]}, {@code jar plugins/calc.jar}, ... */
    String describe();

    /**
     * Any program and its arguments.
     *
     * @param program the program and its arguments, never empty
     */
    record Command(List<String> program) implements PluginLaunch {

        /** Copies the list; the program must not be blank. */
        public Command {
            program = List.copyOf(program);
            if (program.isEmpty() || program.getFirst().isBlank()) {
                throw new IllegalArgumentException("a plugin command needs a program");
            }
        }

        @Override
        public String describe() {
            return "command " + this.program;
        }
    }

    /**
     * An executable jar, run as {@code java [jvmArgs] -jar JAR [arguments]} with the running JVM's {@code java}.
     *
     * @param jar the jar file
     * @param jvmArgs options of the plugin's JVM
     * @param arguments the plugin's arguments, before the segment path
     */
    record Jar(Path jar, List<String> jvmArgs, List<String> arguments) implements PluginLaunch {

        /** Copies the lists. */
        public Jar {
            Objects.requireNonNull(jar, "jar");
            jvmArgs = List.copyOf(jvmArgs);
            arguments = List.copyOf(arguments);
        }

        @Override
        public String describe() {
            return "jar " + this.jar;
        }
    }

    /**
     * A main class, run as {@code java [jvmArgs] -cp CLASSPATH MAIN [arguments]} with the running JVM's
     * {@code java}.
     *
     * @param mainClass the fully qualified name of the class with {@code main}
     * @param classpath the class path entries
     * @param jvmArgs options of the plugin's JVM
     * @param arguments the plugin's arguments, before the segment path
     */
    record MainClass(String mainClass, List<String> classpath, List<String> jvmArgs, List<String> arguments)
            implements PluginLaunch {

        /** Copies the lists; the class name and the class path must not be empty. */
        public MainClass {
            Objects.requireNonNull(mainClass, "mainClass");
            if (mainClass.isBlank()) {
                throw new IllegalArgumentException("a main class needs a name");
            }
            classpath = List.copyOf(classpath);
            if (classpath.isEmpty()) {
                throw new IllegalArgumentException("main class " + mainClass + " needs a class path");
            }
            jvmArgs = List.copyOf(jvmArgs);
            arguments = List.copyOf(arguments);
        }

        @Override
        public String describe() {
            return "main class " + this.mainClass;
        }
    }

    /**
     * A container image, run by a container engine's command line
     * ({@code ENGINE run --rm --network=NETWORK --user UID:GID --volume DIR:DIR [options] IMAGE [arguments]}): each
     * incarnation's segment is made in a directory of its own, which is mounted into the container at the same
     * path, and the container runs as the user that owns it (docs/containers.md).
     *
     * @param image the image, for example {@code rapace/sample-plugin:dev}
     * @param engine the engine's command line program, {@code docker} or {@code podman}
     * @param network the container's network, {@code none} unless the plugin needs one
     * @param options more {@code run} options (limits: {@code --cpus=1}, {@code --memory=512m})
     * @param arguments the plugin's arguments, after the image and before the segment path
     */
    record Image(String image, String engine, String network, List<String> options, List<String> arguments)
            implements PluginLaunch {

        /** Copies the lists; the image, engine and network must not be blank. */
        public Image {
            for (String value : new String[] {image, engine, network}) {
                if (Objects.requireNonNull(value, "image, engine and network").isBlank()) {
                    throw new IllegalArgumentException("a container launch needs an image, an engine and a network");
                }
            }
            options = List.copyOf(options);
            arguments = List.copyOf(arguments);
        }

        @Override
        public String describe() {
            return "image " + this.image;
        }
    }
}
