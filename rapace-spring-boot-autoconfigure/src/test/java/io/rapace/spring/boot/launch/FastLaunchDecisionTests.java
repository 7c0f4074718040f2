package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.rapace.spring.boot.launch.FastLaunchDecision.Plain;
import io.rapace.spring.boot.launch.FastLaunchDecision.Relaunch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link FastLaunchDecision} on real files laid out as the build leaves them, and every way they can be wrong. */
class FastLaunchDecisionTests {

    private static final String JAVA_HOME = "/opt/jdk-25";

    private static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/bin", "JAVA_HOME", "/opt/other");

    @TempDir
    Path directory;

    private Path jar;

    private Path script;

    private Path extracted;

    private Path cache;

    @BeforeEach
    void layOutAFastLaunch() throws IOException {
        this.jar = Files.writeString(this.directory.resolve("my-plugin.jar"), "fat jar");
        this.script = Files.writeString(this.directory.resolve("my-plugin"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(this.script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectory(this.directory.resolve("fast-launch"));
        this.extracted = Files.writeString(this.directory.resolve("fast-launch/my-plugin.jar"), "thin jar");
        this.cache = Files.writeString(this.directory.resolve("fast-launch/my-plugin.aot"), "cache");
        Instant built = Instant.parse("2026-12-02T10:00:00Z");
        Files.setLastModifiedTime(this.jar, FileTime.from(built));
        Files.setLastModifiedTime(this.cache, FileTime.from(built.plusSeconds(20)));
    }

    @Test
    void aPlainJavaJarWithATrainedFastLaunchBesideItRunsTheScript() throws IOException {
        String[] args = { "--shm-path=/dev/shm/a b.shm", "--rapace.liveness-timeout=2s" };
        FastLaunchDecision decision = decide(List.of("-jar", this.jar.toString(), args[0], args[1]), args);
        Path realJar = this.jar.toRealPath();
        assertThat(decision).isInstanceOfSatisfying(Relaunch.class, (relaunch) -> {
            assertThat(relaunch.script()).isEqualTo(this.script);
            assertThat(relaunch.argv()).containsExactly(this.script.toString(), "--shm-path=/dev/shm/a b.shm",
                    "--rapace.liveness-timeout=2s");
            assertThat(relaunch.environment()).containsEntry("PATH", "/usr/bin").containsEntry("JAVA_HOME", JAVA_HOME);
            assertThat(relaunch.jar()).isEqualTo(realJar);
        });
    }

    @Test
    void aRelativeJarPathIsResolvedAgainstTheWorkingDirectory() {
        FastLaunchDecision decision = FastLaunchDecision.decide(List.of("-jar", "./my-plugin.jar", "PATH"),
                new String[] { "PATH" }, ENVIRONMENT, this.directory, JAVA_HOME, 25, "Linux", null);
        assertThat(decision).isInstanceOfSatisfying(Relaunch.class,
                (relaunch) -> assertThat(relaunch.script()).isEqualTo(this.script));
    }

    @Test
    void enablingNativeAccessAsTheScriptDoesStillRelaunches() {
        assertThat(decide(List.of("--enable-native-access=ALL-UNNAMED", "-jar", this.jar.toString()), new String[0]))
                .isInstanceOf(Relaunch.class);
    }

    @Test
    void anyOtherJvmOptionKeepsThePlainStart() {
        assertPlain(decide(List.of("-Drapace.fast-launch=false", "-jar", this.jar.toString()), new String[0]),
                "not started as 'java -jar JAR'");
        assertPlain(decide(List.of("-Xmx1g", "-jar", this.jar.toString()), new String[0]), "without options");
        assertPlain(decide(List.of("-cp", this.jar.toString(), "Main"), new String[0]), "without options");
        assertPlain(decide(List.of("-jar"), new String[0]), "without options");
        assertPlain(decide(List.of(), new String[0]), "without options");
    }

    @Test
    void thePropertySetToFalseKeepsThePlainStartAlsoFromJdkJavaOptions() {
        // JDK_JAVA_OPTIONS=-Drapace.fast-launch=false: the property is set, the command line shows no option
        List<String> commandLine = List.of("-jar", this.jar.toString());
        assertPlain(FastLaunchDecision.decide(commandLine, new String[0], ENVIRONMENT, Path.of("/"), JAVA_HOME, 25,
                "Linux", "false"), "rapace.fast-launch=false");
        assertThat(FastLaunchDecision.decide(commandLine, new String[0], ENVIRONMENT, Path.of("/"), JAVA_HOME, 25,
                "Linux", "true")).isInstanceOf(Relaunch.class);
    }

    @Test
    void theFastLaunchItselfIsNotRelaunched() {
        // The script runs fast-launch/NAME.jar with options, and beside it there is no script of the same name.
        assertPlain(decide(List.of("-XX:AOTCache=" + this.cache, "-jar", this.extracted.toString()), new String[0]),
                "without options");
        assertPlain(decide(List.of("-jar", this.extracted.toString()), new String[0]), "no executable launcher script");
    }

    @Test
    void aMissingOrNonExecutableScriptKeepsThePlainStart() throws IOException {
        Files.setPosixFilePermissions(this.script, PosixFilePermissions.fromString("rw-r--r--"));
        assertPlain(decide(List.of("-jar", this.jar.toString()), new String[0]), "no executable launcher script");
        Files.delete(this.script);
        assertPlain(decide(List.of("-jar", this.jar.toString()), new String[0]), "no executable launcher script");
    }

    @Test
    void aScriptOrFastLaunchDirectoryWritableByOthersKeepsThePlainStart() throws IOException {
        Files.setPosixFilePermissions(this.script, PosixFilePermissions.fromString("rwxr-xrwx"));
        assertPlain(decide(List.of("-jar", this.jar.toString()), new String[0]), this.script + " is writable by others");
        Files.setPosixFilePermissions(this.script, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(decide(List.of("-jar", this.jar.toString()), new String[0])).as("group-writable, as with umask 002")
            .isInstanceOf(Relaunch.class);
        Path fastLaunch = this.directory.resolve("fast-launch");
        Files.setPosixFilePermissions(fastLaunch, PosixFilePermissions.fromString("rwxr-xrwx"));
        assertPlain(decide(List.of("-jar", this.jar.toString()), new String[0]), fastLaunch + " is writable by others");
    }

    @Test
    void aScriptOrFastLaunchDirectoryThatIsASymbolicLinkKeepsThePlainStart() throws IOException {
        Path elsewhere = Files.createDirectory(this.directory.resolve("elsewhere"));
        Files.move(this.script, elsewhere.resolve("my-plugin"));
        Files.createSymbolicLink(this.script, elsewhere.resolve("my-plugin"));
        assertPlain(decide(List.of("-jar", this.jar.toString()), new String[0]), this.script + " is a symbolic link");
        Files.delete(this.script);
        Files.move(elsewhere.resolve("my-plugin"), this.script);
        Path fastLaunch = this.directory.resolve("fast-launch");
        Files.move(fastLaunch, elsewhere.resolve("fast-launch"));
        Files.createSymbolicLink(fastLaunch, elsewhere.resolve("fast-launch"));
        assertPlain(decide(List.of("-jar", this.jar.toString()), new String[0]), fastLaunch + " is a symbolic link");
    }

    @Test
    void aScriptOfAnotherOwnerKeepsThePlainStart() throws IOException {
        UserPrincipal nobody;
        try {
            nobody = this.directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(this.script, nobody);
        }
        catch (IOException ex) {
            Assumptions.abort("giving a file to the user nobody needs root: " + ex);
            return;
        }
        assertPlain(decide(List.of("-jar", this.jar.toString()), new String[0]),
                this.script + " belongs to nobody, the jar to " + Files.getOwner(this.jar).getName());
    }

    @Test
    void aMissingExtractedJarKeepsThePlainStart() throws IOException {
        Files.delete(this.extracted);
        assertPlain(decide(List.of("-jar", this.jar.toString()), new String[0]), "no extracted jar");
    }

    @Test
    void aCacheNotNewerThanTheJarKeepsThePlainStart() throws IOException {
        Files.setLastModifiedTime(this.cache, Files.getLastModifiedTime(this.jar));
        assertPlain(decide(List.of("-jar", this.jar.toString()), new String[0]), "no AOT cache");
        Files.delete(this.cache);
        assertPlain(decide(List.of("-jar", this.jar.toString()), new String[0]), "no AOT cache");
    }

    @Test
    void aFileThatIsNotAJarKeepsThePlainStart() {
        assertPlain(decide(List.of("-jar", this.directory.resolve("my-plugin.zip").toString()), new String[0]),
                "is not a .jar");
        assertPlain(decide(List.of("-jar", "/"), new String[0]), "is not a .jar");
    }

    @Test
    void aTrainingRunAnotherOsOrAnotherJdkKeepsThePlainStart() {
        List<String> commandLine = List.of("-jar", this.jar.toString());
        assertPlain(FastLaunchDecision.decide(commandLine, new String[0], Map.of("RAPACE_AOT_TRAIN", "1"),
                this.directory, JAVA_HOME, 25, "Linux", null), "RAPACE_AOT_TRAIN");
        assertPlain(FastLaunchDecision.decide(commandLine, new String[0], ENVIRONMENT, this.directory, JAVA_HOME, 25,
                "Mac OS X", null), "made for Linux, this is Mac OS X");
        assertPlain(FastLaunchDecision.decide(commandLine, new String[0], ENVIRONMENT, this.directory, JAVA_HOME, 26,
                "Linux", null), "the fast launch runs JDK 25, this is JDK 26");
    }

    private FastLaunchDecision decide(List<String> commandLine, String[] args) {
        return FastLaunchDecision.decide(commandLine, args, ENVIRONMENT, Path.of("/"), JAVA_HOME, 25, "Linux", null);
    }

    private static void assertPlain(FastLaunchDecision decision, String reason) {
        assertThat(decision).isInstanceOfSatisfying(Plain.class,
                (plain) -> assertThat(plain.reason()).contains(reason));
    }
}
