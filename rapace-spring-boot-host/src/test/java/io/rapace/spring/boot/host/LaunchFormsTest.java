package io.rapace.spring.boot.host;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launch forms that start a JVM, with real child JVMs: {@code main-class} (on this JVM's class path by
 * default) and {@code jar}, both with the running JVM's {@code java} and the plugin's {@code jvm-args}; and the
 * process group of its own that every plugin gets.
 */
@EnabledOnOs(OS.LINUX)
class LaunchFormsTest {

    /** Quick start-up for short-lived test plugins. */
    private static final String QUICK = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto";

    @TempDir
    Path dir;

    @Test
    void aMainClassRunsOnTheApplicationsClassPathWithTheRunningJava() {
        PluginContexts.withoutLaunchForm("adder", "serve",
                "rapace.plugins.adder.main-class=" + TestPluginMain.class.getName(),
                "rapace.plugins.adder.jvm-args=" + QUICK + " -Drapace.test.form=main-class").run((context) -> {
            Adder adder = context.getBean(Adder.class);
            assertThat(adder.add(2, 3)).isEqualTo(5);
            ProcessHandle plugin = pluginProcess(context.getBean(RapacePlugins.class));
            assertThat(plugin.info().command()).isEqualTo(ProcessHandle.current().info().command());
            assertThat(commandLine(plugin)).contains("--enable-native-access=ALL-UNNAMED",
                    "-Drapace.test.form=main-class", "-cp", String.join(File.pathSeparator,
                            System.getProperty("java.class.path").split(File.pathSeparator)),
                    TestPluginMain.class.getName());
        });
    }

    @Test
    void aJarRunsWithTheRunningJavaAndItsArguments() throws IOException {
        Path jar = testPluginJar();
        PluginContexts.withoutLaunchForm("adder", "serve", "rapace.plugins.adder.jar=" + jar,
                "rapace.plugins.adder.jvm-args=" + QUICK + " -Drapace.test.form=jar",
                "rapace.plugins.adder.arguments=--ignored-by-the-plugin").run((context) -> {
            Adder adder = context.getBean(Adder.class);
            assertThat(adder.range(3).collectList().block(java.time.Duration.ofSeconds(30))).containsExactly(0, 1, 2);
            ProcessHandle plugin = pluginProcess(context.getBean(RapacePlugins.class));
            assertThat(plugin.info().command()).isEqualTo(ProcessHandle.current().info().command());
            List<String> arguments = commandLine(plugin);
            assertThat(arguments).containsSubsequence("-Drapace.test.form=jar", "-jar", jar.toString(),
                    "--ignored-by-the-plugin");
            assertThat(arguments.getLast()).endsWith(".shm");
        });
    }

    @Test
    void aPluginRunsInAProcessGroupAndSessionOfItsOwnUnlessToldOtherwise() {
        PluginContexts.runner("adder", "serve").run((context) -> {
            long pid = pluginProcess(context.getBean(RapacePlugins.class)).pid();
            assertThat(context.getBean(Adder.class).add(1, 1)).isEqualTo(2);
            // setsid replaced itself with the plugin: the process the host holds is the plugin, leading its group
            assertThat(ProcessHandle.of(pid).orElseThrow().info().command()).isEqualTo(
                    ProcessHandle.current().info().command());
            assertThat(processGroup(pid)).isEqualTo(pid).isNotEqualTo(processGroup(ProcessHandle.current().pid()));
        });
        PluginContexts.runner("adder", "serve", "rapace.plugins.adder.own-process-group=false").run((context) -> {
            long pid = pluginProcess(context.getBean(RapacePlugins.class)).pid();
            assertThat(processGroup(pid)).isEqualTo(processGroup(ProcessHandle.current().pid()));
        });
    }

    private static ProcessHandle pluginProcess(RapacePlugins plugins) {
        return ProcessHandle.of(plugins.supervisor("adder").status().running().pid()).orElseThrow();
    }

    /**
     * The process's command line from {@code /proc/PID/cmdline} ({@code ProcessHandle.Info.arguments()} gives
     * nothing for a long one, such as a class path).
     */
    private static List<String> commandLine(ProcessHandle process) throws IOException {
        String cmdline = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
        return List.of(cmdline.split("\u0000"));
    }

    /** The process group of {@code pid}, from {@code /proc/PID/stat} (the field after the parent's pid). */
    private static long processGroup(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[2]);
    }

    /** A jar whose manifest runs {@link TestPluginMain} with this JVM's class path. */
    private Path testPluginJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, TestPluginMain.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, Stream.of(System.getProperty("java.class.path")
            .split(File.pathSeparator))
            .filter((entry) -> !entry.isBlank())
            .map((entry) -> Path.of(entry).toAbsolutePath().toUri().toString())
            .collect(Collectors.joining(" ")));
        manifest.getMainAttributes().put(new Attributes.Name("Enable-Native-Access"), "ALL-UNNAMED");
        Path jar = this.dir.resolve("test-plugin.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream written = new JarOutputStream(out,
                manifest)) {
            written.flush();  // the manifest is all it holds
        }
        return jar;
    }
}
