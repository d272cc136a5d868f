package io.livepulse.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports for tests. */
public final class Ports {
    private Ports() {}

    /** Where Linux keeps the range it picks outgoing connections' local ports from. */
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    /** Lowest port handed out: above the registered ports most services listen on. */
    static final int LOWEST = 10_000;

    /** The kernel's range for outgoing connections' local ports starts here; read once. */
    static final int EPHEMERAL_LOW = ephemeralLow();

    /** Ports this JVM has handed out, so two servers chosen before either binds never share one. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    /**
     * A TCP port on 127.0.0.1 that was free a moment ago.
     *
     * <p>It is taken below the kernel's range for outgoing connections' local ports. A port the
     * kernel handed out itself ({@code bind(0)}) lies in that range, and between choosing it and a
     * server binding it, any client connection of this or another process could get it as its local
     * port. InfluxDB once failed to start in CI that way ("bind: address already in use"). Below
     * the range only a server binding the port explicitly can take it.
     */
    public static synchronized int free() {
        int ceiling = EPHEMERAL_LOW - 1;
        if (ceiling - LOWEST < 1_000) {
            return kernelChosen(); // no room below the range on this machine: best effort
        }
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, ceiling + 1);
            if (canBind(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "no free port on 127.0.0.1 between "
                        + LOWEST
                        + " and "
                        + ceiling
                        + " in 200 tries");
    }

    private static int ephemeralLow() {
        try {
            // By lines: Files.readString read "3" of this procfs file here.
            String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default, and close to other systems' ranges
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int kernelChosen() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** Whether something accepts connections on 127.0.0.1:port. */
    public static boolean isOpen(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
