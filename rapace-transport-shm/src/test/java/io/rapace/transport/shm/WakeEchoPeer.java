package io.rapace.transport.shm;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * The child process of {@link WakeTwoProcessTest}: opens the segment with the defaults (wake extension
 * on) and echoes every frame back with the same method id, until a frame with method id {@link #QUIT}.
 * Prints {@code ECHO OK active=<bool> sleeps=<n> wakes=<n>} and exits 0, or the failure and exits 1.
 */
public final class WakeEchoPeer {

    static final int QUIT = 0xDEAD;

    private WakeEchoPeer() {
    }

    public static void main(String[] args) {
        int status = 1;
        try (ShmTransport plugin = ShmTransport.open(Path.of(args[0]), ShmOptions.defaults())) {
            boolean[] quit = new boolean[1];
            byte[] buffer = new byte[plugin.config().slotSize()];
            while (!quit[0]) {
                plugin.receive(frame -> {
                    if (frame.methodId() == QUIT) {
                        quit[0] = true;
                        return;
                    }
                    int length = frame.payloadLength();
                    frame.copyPayload(buffer, 0);
                    plugin.send(frame.channelId(), frame.methodId(), FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, buffer, 0,
                            length, TimeUnit.SECONDS.toNanos(30));
                }, 16, TimeUnit.MILLISECONDS.toNanos(50));  // the session's receive loop timeout
            }
            System.out.println("ECHO OK active=" + plugin.wakeExtensionActive() + " sleeps=" + plugin.futexSleeps()
                    + " wakes=" + plugin.futexWakes());
            status = 0;
        }
        catch (Throwable ex) {
            System.out.println("ECHO FAILED: " + ex);
            ex.printStackTrace(System.out);
        }
        System.out.flush();
        System.exit(status);
    }
}
