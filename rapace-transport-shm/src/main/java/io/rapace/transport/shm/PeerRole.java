package io.rapace.transport.shm;

/** Which side of a segment a transport is. */
public enum PeerRole {

    /** Peer A: creates and initialises the segment, writes ring A→B, uses odd channel ids. */
    HOST,

    /** Peer B: opens the host's segment, writes ring B→A, uses even channel ids. */
    PLUGIN;

    /** The other side. */
    public PeerRole peer() {
        return this == HOST ? PLUGIN : HOST;
    }

    /** The spec's name of this side, {@code peer A} or {@code peer B}. */
    public String specName() {
        return this == HOST ? "peer A" : "peer B";
    }
}
