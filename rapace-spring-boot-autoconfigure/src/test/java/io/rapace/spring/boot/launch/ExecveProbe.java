package io.rapace.spring.boot.launch;

import java.io.FileInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A child JVM for {@link ExecveTests}: opens two files, marks the first close-on-exec, prints its PID and then
 * replaces itself with a shell that prints its own PID, its argument, an environment variable and the files it
 * has open.
 */
final class ExecveProbe {

    private ExecveProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (FileInputStream marked = new FileInputStream(args[0]);
                FileInputStream kept = new FileInputStream(args[1])) {
            Execve.closeOnExec(Set.of(Path.of(args[0]).toRealPath()), Set.of());
            System.out.println("java " + ProcessHandle.current().pid());
            System.out.flush();
            int errno = Execve.exec("/bin/sh", List.of("probe-shell", "-c",
                    "echo \"shell $$ $0 $PROBE_VARIABLE\"; ls -l /proc/self/fd/", "with spaces"),
                    Map.of("PROBE_VARIABLE", "passed", "PATH", "/usr/bin:/bin"));
            System.out.println("exec failed: errno " + errno);
        }
    }
}
