package io.rapace.transport.shm;

import java.nio.file.Path;

/**
 * A child JVM for {@link SegmentFileProcessTest}: {@code host PATH} creates a segment, {@code plugin PATH}
 * opens one; either prints {@code READY} and then sleeps until killed, or prints {@code REFUSED <message>}
 * and exits with code 3 when the transport refuses.
 */
public final class SegmentHolderMain {

    private SegmentHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[1]);
        ShmTransport transport;
        try {
            transport = "host".equals(args[0]) ? ShmTransport.create(path, new ShmConfig(16, 1024, 4),
                    ShmOptions.defaults()) : ShmTransport.open(path, ShmOptions.defaults());
        }
        catch (ShmException ex) {
            System.out.println("REFUSED " + ex.getMessage());
            System.out.flush();
            System.exit(3);
            return;
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        transport.close();
    }
}
