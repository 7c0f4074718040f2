package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Lays out a Boot jar's fast launch beside it ({@link FastLaunchLayout}), all but the cache: a fresh
 * {@code fast-launch/} with the jar extracted into it by Spring Boot's own {@code tools} jar mode, and the launcher
 * script filled from {@link LauncherTemplate}. Never follows a symbolic link in place of the script or the
 * directory, and deletes nothing but an earlier {@code fast-launch/} and script.
 */
final class FastLaunchFiles {

    /** How long the extraction may take. */
    private static final long EXTRACT_SECONDS = 300;

    private final FastLaunchLayout layout;

    private final String javaHome;

    /** Lays out the fast launch of {@code layout}'s jar, extracted by the JDK at {@code javaHome}. */
    FastLaunchFiles(FastLaunchLayout layout, String javaHome) {
        this.layout = layout;
        this.javaHome = javaHome;
    }

    /**
     * Removes the script and {@code fast-launch/} of an earlier run, so that no stale jar stays on the class path.
     *
     * @throws IOException when either is a symbolic link or not what it should be (a file, a directory), or cannot
     *     be deleted
     */
    void clearEarlier() throws IOException {
        Path script = this.layout.script();
        if (Files.exists(script, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(script, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(script + " is in the way of the launcher script: it is not a regular file "
                        + "(a symbolic link, a directory); move it away");
            }
            Files.delete(script);
        }
        Path directory = this.layout.fastLaunch();
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(directory + " is in the way of the fast launch's directory: it is not a "
                        + "directory (a symbolic link, a file); move it away");
            }
            deleteTree(directory);
        }
    }

    /**
     * Extracts the jar into {@code fast-launch/} with {@code java -Djarmode=tools -jar JAR extract}.
     *
     * @throws IOException when the extraction fails or leaves no {@code fast-launch/NAME.jar}, with its output
     */
    void extract() throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(this.javaHome, "bin", "java").toString(), "-Djarmode=tools", "-jar",
                this.layout.jar().toString(), "extract", "--destination", this.layout.fastLaunch().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        // Read beside the wait, so that the wait's bound holds (a read alone returns only when the process ends).
        CompletableFuture<String> output = new CompletableFuture<>();
        // (a platform thread: the read blocks in the kernel until the process ends)
        Thread.ofPlatform().daemon().start(() -> output.complete(readAll(process)));
        if (!process.waitFor(EXTRACT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException(String.join(" ", command) + " did not end within " + EXTRACT_SECONDS + " s");
        }
        String said = output.join().strip();
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed with exit code " + process.exitValue()
                    + (said.contains("tools") ? "" : " (is the jar a Spring Boot jar with its tools jar mode?)")
                    + ": " + said);
        }
        if (!Files.isRegularFile(this.layout.extracted())) {
            throw new IOException(String.join(" ", command) + " left no " + this.layout.extracted() + ": " + said);
        }
    }

    /**
     * Whether the jar's manifest grants its code native access ({@code Enable-Native-Access: ALL-UNNAMED}): without
     * it every plain {@code java -jar} start prints the JDK's warning about the transport's FFM calls.
     *
     * @throws IOException when the jar cannot be read
     */
    boolean grantsNativeAccess() throws IOException {
        try (JarFile jar = new JarFile(this.layout.jar().toFile())) {
            Manifest manifest = jar.getManifest();
            return manifest != null
                    && "ALL-UNNAMED".equals(manifest.getMainAttributes().getValue("Enable-Native-Access"));
        }
    }

    /** Writes {@code content} as the launcher script, mode 755, in one move (a reader never sees half of it). */
    void writeScript(String content) throws IOException {
        Path script = this.layout.script();
        Path partial = script.resolveSibling(script.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(partial, script, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The process's whole output (standard error merged in), up to its end; what could be read if reading fails. */
    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            return "(its output could not be read: " + ex.getMessage() + ")";
        }
    }

    /** Deletes {@code directory} and everything in it, links as links (never what they point to). */
    private static void deleteTree(Path directory) throws IOException {
        List<IOException> failures = new ArrayList<>();
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path visited, IOException failure) throws IOException {
                if (failure != null) {
                    failures.add(failure);
                }
                Files.delete(visited);
                return FileVisitResult.CONTINUE;
            }
        });
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }
}
