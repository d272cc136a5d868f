package io.livepulse.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} (Debian's package) on a free 127.0.0.1 port, without persistence, in
 * a temp dir. Use as {@code @RegisterExtension static RedisServer redis = new RedisServer();}.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private ExternalProcess process;
    private int port;

    public RedisServer start() {
        String binary = ExternalProcess.findBinary("redis-server", "redis-server").toString();
        process = ExternalProcess.prepare("redis");
        port = Ports.free();
        process.start(
                List.of(
                        binary,
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--dir",
                        process.workDir().toString(),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--protected-mode",
                        "yes"),
                this::answersPing,
                Duration.ofSeconds(20));
        return this;
    }

    public int port() {
        return port;
    }

    /** A Lettuce URI, e.g. {@code redis://127.0.0.1:6390}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Freezes the server (SIGSTOP) to simulate a hung Redis. */
    public void pause() {
        process.pause();
    }

    public void resume() {
        process.resume();
    }

    /** Plain RESP over a socket, so readiness does not depend on the client under test. */
    private boolean answersPing() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int n = in.readNBytes(reply, 0, reply.length);
            return new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
            process = null;
        }
    }
}
