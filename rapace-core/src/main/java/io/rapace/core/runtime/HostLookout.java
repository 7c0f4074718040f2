package io.rapace.core.runtime;

/**
 * What a plain-Java plugin knew of its host before it opened the segment ({@link HostProcessWatch#lookOut}), so that
 * a host that dies during the open is still known as the host; the plugin watches it once it has answered its first
 * request ({@link HostProcessWatch#watchAfterStartUp}).
 */
sealed interface HostLookout {

    /**
     * The plugin's parent mapped the segment: the usual host, noted from {@code /proc} without {@link ProcessHandle}.
     *
     * @param parent the parent process that mapped it
     */
    record Parent(ParentProcess parent) implements HostLookout {
    }

    /**
     * An ancestor further up mapped the segment (a wrapper script between the host and the plugin).
     *
     * @param host that ancestor
     */
    record Ancestor(ProcessHandle host) implements HostLookout {
    }

    /**
     * No ancestor mapped the segment yet (a host that makes it after launching the plugin, or none is an ancestor):
     * looked for again once the segment is open.
     */
    record NotYet() implements HostLookout {
    }
}
