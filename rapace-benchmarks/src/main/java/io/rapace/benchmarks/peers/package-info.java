/**
 * Comparison peers: the same tiny two-process call ({@code add(i32,i32)->i32}, 8-byte request,
 * 4-byte reply) over Aeron IPC, a JDK Unix-domain socket and gRPC-java, each printing one
 * {@code RESULT} line in the format {@link io.rapace.benchmarks.peers.PeerHarness} documents.
 */
@NullMarked
package io.rapace.benchmarks.peers;

import org.jspecify.annotations.NullMarked;
