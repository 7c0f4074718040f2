package io.rapace.transport.shm;

/** Receives frames from {@link ShmTransport#poll} and {@link ShmTransport#receive}. */
@FunctionalInterface
public interface FrameHandler {

    /**
     * Handles one frame. The frame and its payload view are valid only until this method returns;
     * copy whatever must outlive it. The frame's slot is freed once this returns or throws.
     */
    void onFrame(Frame frame);
}
