package io.rapace.core.runtime;

import java.lang.ProcessBuilder.Redirect;
import java.util.List;

/**
 * A host process that launches a stand-in plugin and exits without closing: prints the plugin's pid and the
 * segment path, then calls {@code System.exit}. Its shutdown hook must kill the plugin and delete the file.
 */
public final class AbandoningHostMain {

    private AbandoningHostMain() {
    }

    public static void main(String[] args) {
        RapaceHost host = RapaceHost.builder().command(List.of("sh", "-c", "exec sleep 120", "plugin"))
                .redirectOutput(Redirect.DISCARD).start();
        System.out.println(host.process().pid());
        System.out.println(host.path());
        System.out.flush();
        System.exit(0);
    }
}
