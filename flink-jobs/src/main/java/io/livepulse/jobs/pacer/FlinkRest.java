package io.livepulse.jobs.pacer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The two calls of Flink's REST API the pacer needs: find a running job, ask it for a checkpoint.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(TIMEOUT)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();

    /** {@code base}: the JobManager's REST address, as http://host:8081. */
    public FlinkRest(URI base) {
        this.base = base;
    }

    /** The id of the newest RUNNING job named {@code name}, if there is one. */
    public Optional<String> runningJob(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/jobs/overview")).GET());
        if (r.statusCode() != 200) {
            throw new IOException(
                    "Flink answered " + r.statusCode() + " to GET /jobs/overview: " + r.body());
        }
        String newest = null;
        long newestStart = Long.MIN_VALUE;
        for (JsonNode job : JSON.readTree(r.body()).path("jobs")) {
            long start = job.path("start-time").asLong();
            if (job.path("name").asText().equals(name)
                    && job.path("state").asText().equals("RUNNING")
                    && start > newestStart) {
                newest = job.path("jid").asText();
                newestStart = start;
            }
        }
        return Optional.ofNullable(newest);
    }

    /**
     * Asks job {@code jobId} for one checkpoint now (POST /jobs/:id/checkpoints, of the job's
     * configured kind) and returns Flink's request id; throws with Flink's answer if it refused.
     */
    public String triggerCheckpoint(String jobId) throws IOException, InterruptedException {
        HttpResponse<String> r =
                send(
                        HttpRequest.newBuilder(uri("/jobs/" + jobId + "/checkpoints"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        if (r.statusCode() != 202) {
            throw new IOException(
                    "Flink answered "
                            + r.statusCode()
                            + " to a checkpoint request for job "
                            + jobId
                            + ": "
                            + r.body());
        }
        return JSON.readTree(r.body()).path("request-id").asText();
    }

    private HttpResponse<String> send(HttpRequest.Builder request)
            throws IOException, InterruptedException {
        try {
            return http.send(
                    request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("Flink's REST API at " + base + " did not answer (" + e + ")", e);
        }
    }

    private URI uri(String path) {
        return base.resolve(path);
    }
}
