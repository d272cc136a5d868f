package io.livepulse.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void portsAreBelowTheRangeOfOutgoingConnectionsAndNeverHandedOutTwice() throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = Ports.free();
            assertThat(port).isBetween(Ports.LOWEST, Ports.EPHEMERAL_LOW - 1);
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
            // Free indeed: a server can bind it.
            try (ServerSocket server =
                    new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(server.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
