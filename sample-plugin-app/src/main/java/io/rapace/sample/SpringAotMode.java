package io.rapace.sample;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Decides, before Spring starts, whether the plugin runs on the bean definitions that Spring AOT generated at build
 * time ({@code process-aot}): a shorter start, but the conditions of the auto-configurations were evaluated at
 * build time, as for a launch with a segment path and the packaged {@code application.properties}. So Spring AOT
 * is used only for a launch those conditions fit: a segment path is given, every option is the path or a
 * {@code rapace.*} or {@code logging.*} property (read at run time), no {@code SPRING_*} or {@code MANAGEMENT_*}
 * environment variable could change a condition, and the generated classes are there. Anything else starts the
 * classic way, as does {@code -Dspring.aot.enabled=false}.
 */
final class SpringAotMode {

    static final String PROPERTY = "spring.aot.enabled";

    private SpringAotMode() {
    }

    /** Sets {@code spring.aot.enabled=true} when {@link #fits} says so and the property is not set already. */
    static void enableIfItFits(String[] args) {
        // Not while process-aot itself runs this main method at build time.
        if (System.getProperty(PROPERTY) == null && !Boolean.getBoolean("spring.aot.processing")
                && generatedClassesPresent() && fits(args, System.getenv())) {
            System.setProperty(PROPERTY, "true");
        }
    }

    static boolean generatedClassesPresent() {
        return ClassUtils.isPresent(SamplePluginApplication.class.getName() + "__ApplicationContextInitializer",
                SamplePluginApplication.class.getClassLoader());
    }

    /** Whether a launch with these arguments and environment matches what Spring AOT saw at build time. */
    static boolean fits(String[] args, Map<String, String> environment) {
        boolean path = hasText(environment.get("RAPACE_SHM_PATH"));
        for (String name : environment.keySet()) {
            if (name.startsWith("SPRING_") || name.startsWith("MANAGEMENT_") || name.startsWith("RAPACE_SERVICE_SCAN")) {
                return false;
            }
        }
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                path |= hasText(arg);
            }
            else if (arg.startsWith("--shm-path=") || arg.startsWith("--addr=") || arg.startsWith("--rapace.shm.path=")) {
                path |= hasText(arg.substring(arg.indexOf('=') + 1));
            }
            else if (!(arg.startsWith("--rapace.") && !arg.startsWith("--rapace.service-scan."))
                    && !arg.startsWith("--logging.")) {
                return false;
            }
        }
        return path;
    }

    private static boolean hasText(@Nullable String value) {
        return value != null && !value.isBlank();
    }
}
