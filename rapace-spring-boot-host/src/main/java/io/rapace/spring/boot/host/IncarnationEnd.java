package io.rapace.spring.boot.host;

import org.jspecify.annotations.Nullable;

/**
 * How an incarnation's process ended.
 *
 * @param exitCode its exit code
 * @param killedBecause why the supervisor killed it (it stalled beyond the stall timeout), or null when it exited
 *     by itself or was stopped
 */
record IncarnationEnd(int exitCode, @Nullable String killedBecause) {
}
