package io.rapace.core.session;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The live threads of the rapace runtime in this JVM, each with its state and the top of its stack: what a test that
 * waited in vain for a loop prints, so that its failure says where the loop was.
 */
final class SessionThreads {

    private static final int FRAMES = 10;

    private SessionThreads() {
    }

    /**
     * Every live thread whose name starts with {@code rapace-}, with its state and top {@value #FRAMES} frames of ours
     * and the JDK's (method-handle and FFM plumbing left out).
     */
    static String describe() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(entry -> entry.getKey().getName().startsWith("rapace-"))
                .sorted(Comparator.comparing(entry -> entry.getKey().getName()))
                .map(SessionThreads::describe)
                .collect(Collectors.joining("\n"));
    }

    private static String describe(Map.Entry<Thread, StackTraceElement[]> thread) {
        return thread.getKey().getName() + " " + thread.getKey().getState() + Arrays.stream(thread.getValue())
                .filter(frame -> !plumbing(frame.getClassName())).limit(FRAMES).map(frame -> "\n    at " + frame)
                .collect(Collectors.joining());
    }

    /** The method-handle and FFM frames of a downcall, which say nothing about where the runtime was. */
    private static boolean plumbing(String className) {
        return className.startsWith("java.lang.invoke.") || className.startsWith("jdk.internal.foreign.");
    }
}
