package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The files the build leaves beside a plugin's jar {@code DIR/NAME.jar} for its fast launch (docs/startup.md).
 *
 * @param jar the jar the JVM was launched with, normalized
 * @param script the executable launcher script {@code DIR/NAME}
 * @param fastLaunch the directory {@code DIR/fast-launch}
 * @param extracted the extracted jar {@code DIR/fast-launch/NAME.jar}
 * @param cache the AOT cache {@code DIR/fast-launch/NAME.aot}, trained on the extracted jar
 */
record FastLaunchLayout(Path jar, Path script, Path fastLaunch, Path extracted, Path cache) {

    private static final String JAR = ".jar";

    /** The layout beside {@code jar}, or null when {@code jar} is no {@code NAME.jar} in a directory. */
    static @Nullable FastLaunchLayout beside(Path jar) {
        Path directory = jar.getParent();
        String fileName = jar.getFileName() == null ? "" : jar.getFileName().toString();
        if (directory == null || !fileName.endsWith(JAR) || fileName.length() == JAR.length()) {
            return null;
        }
        String name = fileName.substring(0, fileName.length() - JAR.length());
        Path fastLaunch = directory.resolve("fast-launch");
        return new FastLaunchLayout(jar, directory.resolve(name), fastLaunch, fastLaunch.resolve(fileName),
                fastLaunch.resolve(name + ".aot"));
    }

    /** The plugin's name: the jar's file name without {@code .jar}, also the script's. */
    String name() {
        return this.script.getFileName().toString();
    }

    /** The plugin's output during the training that writes the cache: {@code DIR/fast-launch/NAME-training.log}. */
    Path trainingLog() {
        return this.fastLaunch.resolve(name() + "-training.log");
    }

    /** Whether the cache is there and newer than the jar (a jar rebuilt after its training gets no stale cache). */
    boolean cacheNewerThanJar() throws IOException {
        return Files.isRegularFile(this.cache)
                && Files.getLastModifiedTime(this.cache).compareTo(Files.getLastModifiedTime(this.jar)) > 0;
    }

    /** Why the fast launch cannot be used, or null when the script, the extracted jar and a fresh cache are there. */
    @Nullable String whyNotUsable() {
        if (!Files.isRegularFile(this.script) || !Files.isExecutable(this.script)) {
            return "no executable launcher script " + this.script;
        }
        String untrusted = untrusted();
        if (untrusted != null) {
            return untrusted;
        }
        if (!Files.isRegularFile(this.extracted)) {
            return "no extracted jar " + this.extracted;
        }
        try {
            if (!cacheNewerThanJar()) {
                return "no AOT cache " + this.cache + " newer than " + this.jar;
            }
        }
        catch (IOException ex) {
            return "cannot compare " + this.cache + " with " + this.jar + ": " + ex.getMessage();
        }
        return null;
    }

    /**
     * Why the script or the fast-launch directory may not be trusted with this process, or {@code null}: each must be
     * itself (not a symbolic link), owned by the jar's owner and not writable by others. In a directory anyone may
     * write to, such as {@code /tmp}, another user could not replace the jar but could put a script beside it.
     */
    private @Nullable String untrusted() {
        try {
            UserPrincipal owner = Files.getOwner(this.jar);
            for (Path path : List.of(this.script, this.fastLaunch)) {
                PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (attributes.isSymbolicLink()) {
                    return path + " is a symbolic link";
                }
                if (!attributes.owner().equals(owner)) {
                    return path + " belongs to " + attributes.owner().getName() + ", the jar to " + owner.getName();
                }
                if (attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                    return path + " is writable by others";
                }
            }
            return null;
        }
        catch (IOException | UnsupportedOperationException ex) {
            return "cannot read who owns " + this.script + " and " + this.fastLaunch + ": " + ex;
        }
    }
}
