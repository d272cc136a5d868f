package io.livepulse.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real InfluxDB 1.x ({@code influxd} from Debian's {@code influxdb} package) on free 127.0.0.1
 * ports, with its meta, data and WAL in a temp dir and usage reporting off. Authentication is off
 * unless {@link #withAuth()} is asked for; then an admin user {@link #ADMIN_USER} exists.
 */
public final class InfluxServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private ExternalProcess process;

    /** Chosen when the server is created, so a test can configure clients before it starts. */
    private final int httpPort = Ports.free();

    private boolean auth;

    /** Turns HTTP authentication on (before start). */
    public InfluxServer withAuth() {
        this.auth = true;
        return this;
    }

    public InfluxServer start() {
        String binary = ExternalProcess.findBinary("influxd", "influxdb").toString();
        process = ExternalProcess.prepare("influxdb");
        int rpcPort = Ports.free();
        Path dir = process.workDir();
        Path config = dir.resolve("influxdb.conf");
        String toml =
                """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"

                [meta]
                  dir = "%s/meta"

                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false

                [http]
                  enabled = true
                  bind-address = "127.0.0.1:%d"
                  auth-enabled = %s
                  log-enabled = false

                [continuous_queries]
                  enabled = false
                """
                        .formatted(rpcPort, dir, dir, dir, httpPort, auth);
        try {
            Files.writeString(config, toml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process.start(
                List.of(binary, "-config", config.toString()),
                this::answersPing,
                Duration.ofSeconds(30));
        if (auth) {
            // InfluxDB 1.x lets the first admin be created without credentials.
            query(
                    "CREATE USER \""
                            + ADMIN_USER
                            + "\" WITH PASSWORD '"
                            + ADMIN_PASSWORD
                            + "' WITH ALL PRIVILEGES",
                    null);
        }
        return this;
    }

    /** e.g. {@code http://127.0.0.1:18086}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int port() {
        return httpPort;
    }

    public void pause() {
        process.pause();
    }

    public void resume() {
        process.resume();
    }

    private boolean answersPing() {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(url() + "/ping").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            int code = c.getResponseCode();
            c.disconnect();
            return code == 204;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs one InfluxQL statement over plain HTTP (admin credentials if auth is on). */
    private void query(String statement, String db) {
        try {
            String form =
                    "q="
                            + URLEncoder.encode(statement, StandardCharsets.UTF_8)
                            + (db == null ? "" : "&db=" + db);
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(url() + "/query").toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            c.getOutputStream().write(form.getBytes(StandardCharsets.UTF_8));
            int code = c.getResponseCode();
            if (code != 200) {
                throw new IllegalStateException("InfluxDB answered " + code + " to: " + statement);
            }
            c.disconnect();
        } catch (IOException e) {
            throw new UncheckedIOException("InfluxDB query failed: " + statement, e);
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
