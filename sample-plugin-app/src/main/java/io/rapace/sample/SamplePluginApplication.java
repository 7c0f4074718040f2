package io.rapace.sample;

import io.rapace.spring.boot.launch.RapaceFastLaunch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample plugin. A rapace host starts it as
 * {@code java -jar sample-plugin-app.jar --shm-path=PATH} (or {@code --rapace.shm.path=PATH}, or {@code PATH});
 * it serves {@link Calculator} and {@link Hasher} until the host goes away, then exits by itself.
 */
@SpringBootApplication
public class SamplePluginApplication {

    /**
     * Starts the plugin: a plain {@code java -jar} hands over to the fast launch the build trained beside the jar
     * ({@link RapaceFastLaunch}); then Spring starts, on Spring AOT's generated bean definitions when the launch
     * fits them ({@link SpringAotMode}).
     */
    public static void main(String[] args) {
        RapaceFastLaunch.useIfTrained(args);
        SpringAotMode.enableIfItFits(args);
        SpringApplication.run(SamplePluginApplication.class, args);
    }
}
