package io.rapace.spring.boot.host;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Turns a plugin's {@link PluginLaunch} into the command line of one incarnation. */
final class LaunchPlanner {

    private LaunchPlanner() {
    }

    /** The launch of incarnation {@code number} of {@code definition}. */
    static IncarnationLaunch plan(PluginDefinition definition, int number) {
        IncarnationLaunch launch = switch (definition.launch()) {
            case PluginLaunch.Command command -> IncarnationLaunch.of(command.program());
            case PluginLaunch.Jar jar -> {
                List<String> command = JavaLauncher.start(jar.jvmArgs());
                command.add("-jar");
                command.add(jar.jar().toAbsolutePath().toString());
                command.addAll(jar.arguments());
                yield IncarnationLaunch.of(command);
            }
            case PluginLaunch.MainClass main -> {
                List<String> command = JavaLauncher.start(main.jvmArgs());
                command.add("-cp");
                command.add(String.join(File.pathSeparator, main.classpath()));
                command.add(main.mainClass());
                command.addAll(main.arguments());
                yield IncarnationLaunch.of(command);
            }
            case PluginLaunch.Image image -> ContainerIncarnation.prepare(definition.name(), number, image);
        };
        if (!definition.ownProcessGroup()) {
            return launch;
        }
        return new IncarnationLaunch(OwnProcessGroup.wrap(new ArrayList<>(launch.command())), launch.segment(),
                launch.cleanUp());
    }
}
