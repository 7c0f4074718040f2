package io.rapace.spring.boot.host.autoconfigure;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.rapace.spring.boot.host.PluginLaunch;

/**
 * Decides a plugin's launch form from its properties: exactly one of {@code command}, {@code jar},
 * {@code main-class} and {@code image}. The plugin's own properties decide when they set a form; otherwise the
 * defaults under {@code rapace.plugin-defaults} do. A modifier the plugin sets that its form does not take
 * ({@code jvm-args} on a command, {@code classpath} on a jar, ...) is an error; one from the defaults is ignored, so
 * that defaults can serve plugins of every form. Every message names the plugin and the properties.
 */
final class PluginLaunchResolver {

    private PluginLaunchResolver() {
    }

    /**
     * The launch form of plugin {@code name}.
     *
     * @param merged its properties with the defaults applied
     * @param own its own properties only
     * @throws IllegalArgumentException when it sets no form, more than one, or a modifier its form does not take
     */
    static PluginLaunch resolve(String name, PluginProperties merged, PluginProperties own) {
        String prefix = PluginPropertiesResolver.PLUGINS + "." + name + ".";
        List<String> ownForms = forms(own);
        List<String> forms = ownForms.isEmpty() ? forms(merged) : ownForms;
        String level = ownForms.isEmpty() && !forms.isEmpty() ? PluginPropertiesResolver.DEFAULTS + "." : prefix;
        if (forms.isEmpty()) {
            throw new IllegalArgumentException("plugin '" + name + "' has no launch form: set exactly one of "
                    + prefix + "command (a program), " + prefix + "jar, " + prefix + "main-class or " + prefix
                    + "image; e.g. " + prefix + "command=./my-plugin or " + prefix + "jar=plugins/my-plugin.jar");
        }
        if (forms.size() > 1) {
            throw new IllegalArgumentException("plugin '" + name + "' has more than one launch form: "
                    + String.join(" and ", forms.stream().map((form) -> level + form).toList())
                    + "; set exactly one of command, jar, main-class and image");
        }
        String form = forms.getFirst();
        rejectModifiers(name, form, own);
        return switch (form) {
            case "command" -> new PluginLaunch.Command(words(merged.getCommand()));
            case "jar" -> new PluginLaunch.Jar(java.util.Objects.requireNonNull(merged.getJar()),
                    words(merged.getJvmArgs()), words(merged.getArguments()));
            case "main-class" -> new PluginLaunch.MainClass(java.util.Objects.requireNonNull(merged.getMainClass()),
                    merged.getClasspath().isEmpty() ? hostClasspath() : merged.getClasspath(),
                    words(merged.getJvmArgs()), words(merged.getArguments()));
            case "image" -> new PluginLaunch.Image(java.util.Objects.requireNonNull(merged.getImage()),
                    merged.getContainer().getEngine(), merged.getContainer().getNetwork(),
                    words(merged.getContainer().getOptions()), words(merged.getArguments()));
            default -> throw new IllegalStateException(form);
        };
    }

    /** The forms {@code properties} set, in the order command, jar, main-class, image. */
    private static List<String> forms(PluginProperties properties) {
        List<String> forms = new ArrayList<>();
        if (!properties.getCommand().isEmpty() && !properties.getCommand().getFirst().isBlank()) {
            forms.add("command");
        }
        if (properties.getJar() != null && !properties.getJar().toString().isBlank()) {
            forms.add("jar");
        }
        if (properties.getMainClass() != null && !properties.getMainClass().isBlank()) {
            forms.add("main-class");
        }
        if (properties.getImage() != null && !properties.getImage().isBlank()) {
            forms.add("image");
        }
        return forms;
    }

    /** Rejects a modifier that the plugin itself sets and {@code form} does not take. */
    private static void rejectModifiers(String name, String form, PluginProperties own) {
        PluginProperties.ContainerProperties defaults = new PluginProperties.ContainerProperties();
        Map<String, Boolean> set = new LinkedHashMap<>();
        set.put("jvm-args", !own.getJvmArgs().isEmpty());
        set.put("classpath", !own.getClasspath().isEmpty());
        set.put("arguments", !own.getArguments().isEmpty());
        set.put("container.*", !own.getContainer().getOptions().isEmpty()
                || !own.getContainer().getEngine().equals(defaults.getEngine())
                || !own.getContainer().getNetwork().equals(defaults.getNetwork()));
        Map<String, List<String>> takes = Map.of("command", List.of(),
                "jar", List.of("jvm-args", "arguments"),
                "main-class", List.of("jvm-args", "classpath", "arguments"),
                "image", List.of("arguments", "container.*"));
        String prefix = PluginPropertiesResolver.PLUGINS + "." + name + ".";
        for (Map.Entry<String, Boolean> modifier : set.entrySet()) {
            if (modifier.getValue() && !takes.get(form).contains(modifier.getKey())) {
                String forms = Stream.of("jar", "main-class", "image")
                    .filter((other) -> takes.get(other).contains(modifier.getKey()))
                    .toList().toString();
                throw new IllegalArgumentException(prefix + modifier.getKey() + " is set, but plugin '" + name
                        + "' is launched by " + prefix + form + ", which does not take it (it applies to the launch "
                        + "forms " + forms + (form.equals("command") ? "; put the arguments in the command" : "")
                        + ")");
            }
        }
    }

    /** A list as given, or a single value split at white space. */
    static List<String> words(List<String> values) {
        return values.size() == 1 ? List.of(values.getFirst().trim().split("\\s+")) : List.copyOf(values);
    }

    private static List<String> hostClasspath() {
        return List.of(System.getProperty("java.class.path", "").split(File.pathSeparator));
    }
}
