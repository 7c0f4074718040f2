package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The child process of {@link FutexTest}: maps the file and calls {@code FUTEX_WAKE} on the word at
 * offset 8 until one sleeper (the parent) was woken; prints {@code WAKER OK}. Gives up after 60 s.
 */
public final class FutexWaker {

    private FutexWaker() {
    }

    public static void main(String[] args) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment word = Futex.word(FutexTest.map(arena, Path.of(args[0])), 8);
            if (!Futex.isAvailable()) {
                System.out.println("WAKER FAILED: " + Futex.unavailableReason());
                System.exit(1);
            }
            while (System.nanoTime() - deadline < 0) {
                if (Futex.wake(word, 1) == 1) {
                    System.out.println("WAKER OK");
                    System.out.flush();
                    System.exit(0);
                }
                Thread.sleep(1);
            }
        }
        System.out.println("WAKER FAILED: nobody slept on the word");
        System.exit(1);
    }
}
