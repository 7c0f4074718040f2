package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link FastLaunchFiles} on real files: what an earlier run left, what is in the way, a jar that is no Boot jar. */
class FastLaunchFilesTests {

    @TempDir
    Path directory;

    private FastLaunchLayout layout;

    private FastLaunchFiles files;

    @BeforeEach
    void layOut() throws IOException {
        Path jar = this.directory.resolve("plugin.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("hello.txt"));
            out.write("not a Boot jar".getBytes());
        }
        this.layout = FastLaunchLayout.beside(jar);
        this.files = new FastLaunchFiles(this.layout, System.getProperty("java.home"));
    }

    @Test
    void anEarlierFastLaunchIsRemovedWholeButNotWhatItsLinksPointAt() throws IOException {
        Path outside = Files.createDirectory(this.directory.resolve("outside"));
        Path kept = Files.writeString(outside.resolve("kept.jar"), "kept");
        Path lib = Files.createDirectories(this.layout.fastLaunch().resolve("lib"));
        Files.writeString(lib.resolve("stale-1.0.jar"), "stale");
        Files.createSymbolicLink(lib.resolve("link"), outside);
        Files.writeString(this.layout.script(), "#!/bin/sh\n");

        this.files.clearEarlier();

        assertThat(this.layout.fastLaunch()).doesNotExist();
        assertThat(this.layout.script()).doesNotExist();
        assertThat(kept).hasContent("kept");
        assertThat(this.layout.jar()).exists();
    }

    @Test
    void aSymbolicLinkInPlaceOfTheScriptOrTheDirectoryIsNotFollowedNorRemoved() throws IOException {
        Path elsewhere = Files.createDirectory(this.directory.resolve("elsewhere"));
        Path precious = Files.writeString(elsewhere.resolve("precious"), "precious");
        Files.createSymbolicLink(this.layout.fastLaunch(), elsewhere);

        assertThatExceptionOfType(IOException.class).isThrownBy(this.files::clearEarlier)
            .withMessageContaining(this.layout.fastLaunch().toString())
            .withMessageContaining("move it away");
        assertThat(precious).hasContent("precious");

        Files.delete(this.layout.fastLaunch());
        Files.createSymbolicLink(this.layout.script(), precious);
        assertThatExceptionOfType(IOException.class).isThrownBy(this.files::clearEarlier)
            .withMessageContaining(this.layout.script().toString());
        assertThat(precious).hasContent("precious");
        assertThat(Files.isSymbolicLink(this.layout.script())).isTrue();
    }

    @Test
    void theScriptIsWrittenExecutableInOneMove() throws IOException {
        this.files.writeScript("#!/bin/sh\necho hi\n");

        assertThat(this.layout.script()).hasContent("#!/bin/sh\necho hi\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.layout.script())))
            .isEqualTo("rwxr-xr-x");
        assertThat(this.layout.script().resolveSibling("plugin.partial")).doesNotExist();
    }

    @Test
    void theJarsGrantOfNativeAccessIsReadFromItsManifest() throws IOException {
        assertThat(this.files.grantsNativeAccess()).isFalse();

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Enable-Native-Access", "ALL-UNNAMED");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(this.layout.jar()), manifest)) {
            out.putNextEntry(new ZipEntry("hello.txt"));
        }
        assertThat(this.files.grantsNativeAccess()).isTrue();
    }

    @Test
    void aJarThatIsNoBootJarFailsToExtractWithWhatTheToolSaid() {
        assertThatExceptionOfType(IOException.class).isThrownBy(this.files::extract)
            .withMessageContaining("-Djarmode=tools")
            .withMessageContaining(this.layout.jar().toString())
            .withMessageContaining("exit code");
    }
}
