package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launcher script template ({@code src/main/launcher/fast-launch} of this module, in the jar beside this class)
 * and its filling: each {@code @key@} is replaced by its value, as the builds of the sample and the benchmarks fill
 * it with Maven's resources plugin. Its keys: {@code fast-launch.description} and {@code fast-launch.maker} (two
 * comment lines), {@code java.home} (the JDK to fall back on), {@code fast-launch.command} (the java arguments after
 * the JVM flags, {@code $here} being the script's directory), {@code fast-launch.cache} (the AOT cache, relative to
 * {@code $here}) and {@code fast-launch.jars} (the jars of the class path, which the cache must be newer than).
 */
final class LauncherTemplate {

    /** The template's resource name, beside this class. */
    static final String RESOURCE = "fast-launch";

    private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Za-z][A-Za-z.-]*)@");

    /** What a plugin's name may hold to stand unquoted in the script's paths: letters, digits, {@code . _ + -}. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._+-]+");

    private LauncherTemplate() {
    }

    /** The template's text. */
    static String read() {
        try (InputStream in = LauncherTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the launcher template " + RESOURCE + " is missing beside "
                        + LauncherTemplate.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot read the launcher template " + RESOURCE + ": " + ex.getMessage(),
                    ex);
        }
    }

    /**
     * {@code template} with each {@code @key@} replaced by its value in {@code values}.
     *
     * @throws IllegalArgumentException when the template has a key without a value
     */
    static String fill(String template, Map<String, String> values) {
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder(template.length() + 512);
        while (placeholder.find()) {
            String value = values.get(placeholder.group(1));
            if (value == null) {
                throw new IllegalArgumentException("the launcher template has @" + placeholder.group(1)
                        + "@, for which no value is given (given: " + values.keySet() + ")");
            }
            placeholder.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(filled);
        return filled.toString();
    }

    /**
     * The values for the fast launch of the Boot jar {@code NAME.jar} that {@code maker} made: the extracted jar
     * {@code fast-launch/NAME.jar} with its cache {@code fast-launch/NAME.aot}, the JDK at {@code javaHome} to fall
     * back on.
     *
     * @throws IllegalArgumentException when {@code name} or {@code javaHome} cannot stand in the script as they are
     */
    static Map<String, String> bootJarValues(String name, String javaHome, String maker) {
        requireSafeName(name);
        if (javaHome.contains("'") || javaHome.contains("\n")) {
            throw new IllegalArgumentException("the JDK's path " + javaHome + " has a quote or a line break, which "
                    + "the launcher script cannot hold in its single quotes");
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("fast-launch.description", "The fast launch of " + name + ".jar: the extracted Boot jar "
                + "(fast-launch/) with the AOT cache trained on it.");
        values.put("fast-launch.maker", maker);
        values.put("java.home", javaHome);
        values.put("fast-launch.command", "-jar \"$here/fast-launch/" + name + ".jar\"");
        values.put("fast-launch.cache", "fast-launch/" + name + ".aot");
        values.put("fast-launch.jars", "\"$here\"/fast-launch/*.jar \"$here\"/fast-launch/lib/*.jar");
        return values;
    }

    /**
     * Checks that a plugin's name can stand in the script's paths as it is.
     *
     * @throws IllegalArgumentException naming the characters allowed, when it cannot
     */
    private static void requireSafeName(String name) {
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the jar's name '" + name + ".jar' has characters that the launcher "
                    + "script would have to quote (only letters, digits and . _ + - are kept as they are): rename "
                    + "the jar");
        }
    }
}
