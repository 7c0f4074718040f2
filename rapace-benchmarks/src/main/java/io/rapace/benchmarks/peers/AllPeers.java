package io.rapace.benchmarks.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every comparison peer one after the other, each in its own JVM with the flags it needs
 * (Aeron IPC busy and backoff, JDK Unix-domain socket, gRPC over loopback TCP and over epoll
 * Unix-domain sockets), so that one command prints all five {@code RESULT} lines.
 *
 * <p>Run: {@code $JAVA_HOME/bin/java -cp rapace-benchmarks.jar io.rapace.benchmarks.peers.AllPeers
 * [--hist-dir=DIR] [--only=NAME,...] [any option of the peers, e.g. --idle-seconds=3]}, or
 * {@code ./mvnw -B -ntp -q -pl rapace-benchmarks -am package -DskipTests -Pbench
 * -Dbench.mainClass=io.rapace.benchmarks.peers.AllPeers}. {@code --hist-dir} writes
 * {@code DIR/NAME.csv} per peer; names: {@code aeron-ipc-busy aeron-ipc-backoff uds grpc-tcp grpc-uds}.
 * Exits non-zero if a peer failed.
 */
public final class AllPeers {

    private record Peer(String name, Class<?> main, List<String> jvmFlags, List<String> args) {
    }

    private static final List<Peer> PEERS = List.of(
            new Peer("aeron-ipc-busy", AeronIpcBench.class, AeronIpcBench.JVM_FLAGS, List.of("--idle=busy")),
            new Peer("aeron-ipc-backoff", AeronIpcBench.class, AeronIpcBench.JVM_FLAGS, List.of("--idle=backoff")),
            new Peer("uds", UdsBench.class, List.of(), List.of()),
            new Peer("grpc-tcp", GrpcBench.class, GrpcBench.JVM_FLAGS, List.of("--transport=tcp")),
            new Peer("grpc-uds", GrpcBench.class, GrpcBench.JVM_FLAGS, List.of("--transport=uds")));

    private AllPeers() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path histDir = null;
        List<String> only = List.of();
        List<String> passThrough = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--hist-dir=")) {
                histDir = Path.of(arg.substring("--hist-dir=".length()));
                Files.createDirectories(histDir);
            }
            else if (arg.startsWith("--only=")) {
                only = List.of(arg.substring("--only=".length()).split(","));
            }
            else {
                passThrough.add(arg);
            }
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        int failed = 0;
        for (Peer peer : PEERS) {
            if (!only.isEmpty() && !only.contains(peer.name())) {
                continue;
            }
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(peer.jvmFlags());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(peer.main().getName());
            command.addAll(peer.args());
            command.addAll(passThrough);
            if (histDir != null) {
                command.add("--hist-out=" + histDir.resolve(peer.name() + ".csv"));
            }
            System.out.println("== " + peer.name());
            System.out.flush();
            Process process = new ProcessBuilder(command).inheritIO().start();
            Thread kill = new Thread(process::destroy, "stop-peer"); // SIGTERM: the peer cleans up
            Runtime.getRuntime().addShutdownHook(kill);
            int status = process.waitFor();
            Runtime.getRuntime().removeShutdownHook(kill);
            if (status != 0) {
                System.out.println("== " + peer.name() + " failed, status " + status);
                failed++;
            }
        }
        if (failed > 0) {
            System.exit(1);
        }
    }
}
