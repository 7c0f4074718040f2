package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * libc's {@code execve(2)} through the FFM linker: replaces this process's program, keeping its PID, its parent, its
 * open standard streams and its place in the host's process tree. Returns only when the exec failed.
 */
final class Execve {

    private static final int F_SETFD = 2;

    private static final int FD_CLOEXEC = 1;

    private Execve() {
    }

    /**
     * Marks close-on-exec every open descriptor of this process that leads to one of {@code files} or into one of
     * {@code directories}: the JVM opens its own files (its module image, the launched jar) without it, and the
     * program that follows has no use for them. Descriptors the process was given (its standard streams, anything
     * its parent passed on) lead elsewhere and are left as they are. Best effort: a descriptor that cannot be read
     * or marked stays open.
     */
    @SuppressWarnings("restricted")
    static void closeOnExec(Set<Path> files, Set<Path> directories) {
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            Linker linker = Linker.nativeLinker();
            MethodHandle fcntl = linker.downcallHandle(linker.defaultLookup().find("fcntl").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(2));
            for (Path descriptor : descriptors) {
                int fd = Integer.parseInt(descriptor.getFileName().toString());
                Path target;
                try {
                    target = Files.readSymbolicLink(descriptor);
                }
                catch (IOException ex) {
                    continue; // the directory stream's own descriptor, already closed
                }
                boolean ours = files.contains(target);
                for (Path directory : directories) {
                    ours |= target.startsWith(directory);
                }
                if (fd > 2 && ours) {
                    int ignored = (int) fcntl.invokeExact(fd, F_SETFD, FD_CLOEXEC);
                }
            }
        }
        catch (Throwable ex) {
            // best effort: at worst the next program inherits a read-only descriptor of a file it does not use
        }
    }

    /**
     * Runs {@code program} in place of this JVM.
     *
     * @return the {@code errno} of the failed exec (it never returns otherwise)
     * @throws IllegalStateException when libc's {@code execve} cannot be called from here (no native access)
     */
    @SuppressWarnings("restricted")
    static int exec(String program, List<String> argv, Map<String, String> environment) {
        Linker linker = Linker.nativeLinker();
        StructLayout capture = Linker.Option.captureStateLayout();
        VarHandle errno = capture.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        MethodHandle execve;
        try {
            execve = linker.downcallHandle(linker.defaultLookup().find("execve").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS),
                    Linker.Option.captureCallState("errno"));
        }
        catch (RuntimeException | LinkageError ex) {
            throw new IllegalStateException("cannot call libc execve: " + ex.getMessage(), ex);
        }
        // Confined and closed only if the exec fails: on success the process image, this memory with it, is gone.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(capture);
            int result;
            try {
                result = (int) execve.invokeExact(state, arena.allocateFrom(program), strings(arena, argv),
                        strings(arena, assignments(environment)));
            }
            catch (Throwable ex) {
                throw new IllegalStateException("libc execve failed to run: " + ex.getMessage(), ex);
            }
            return result == -1 ? (int) errno.get(state, 0L) : 0;
        }
    }

    private static List<String> assignments(Map<String, String> environment) {
        List<String> assignments = new ArrayList<>(environment.size());
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            assignments.add(variable.getKey() + "=" + variable.getValue());
        }
        return assignments;
    }

    /** A NULL-terminated {@code char *[]} of the given strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }
}
