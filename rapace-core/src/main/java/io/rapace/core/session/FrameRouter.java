package io.rapace.core.session;

import io.rapace.transport.shm.Frame;
import io.rapace.transport.shm.FrameHandler;

/**
 * Routes each received frame by channel: 0 to the control channel, our parity to the waiting calls,
 * the peer's parity to the server side. Never lets an exception escape into the transport.
 */
final class FrameRouter implements FrameHandler {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(FrameRouter.class.getName());
    }

    private final ChannelIds channelIds;

    private final ControlChannel control;

    private final ClientCalls clientCalls;

    private final ServerCalls serverCalls;

    FrameRouter(ChannelIds channelIds, ControlChannel control, ClientCalls clientCalls, ServerCalls serverCalls) {
        this.channelIds = channelIds;
        this.control = control;
        this.clientCalls = clientCalls;
        this.serverCalls = serverCalls;
    }

    @Override
    public void onFrame(Frame frame) {
        int channelId = frame.channelId();
        try {
            if (channelId == 0) {
                this.control.onFrame(frame);
            }
            else if (this.channelIds.isLocal(channelId)) {
                this.clientCalls.onFrame(frame);
            }
            else {
                this.serverCalls.onFrame(frame);
            }
        }
        catch (RuntimeException ex) {
            Log.LOG.log(System.Logger.Level.ERROR, "failed to route frame on channel " + Integer.toUnsignedString(channelId)
                    + " (method " + Integer.toUnsignedString(frame.methodId()) + ", flags 0x" + Integer.toHexString(frame.flags()) + ")", ex);
        }
    }
}
