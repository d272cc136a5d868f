package io.livepulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's main command: the job's main class with no arguments, in its own JVM, runs the
 * embedded whitepaper broadcast on a local MiniCluster to its final summary.
 */
class EmbeddedRunTest {

    @Test
    void theNoArgumentMainRunsToItsSummary() throws Exception {
        Path out = Files.createTempFile("embedded-run", ".out");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx1g",
                                "-cp",
                                System.getProperty("java.class.path"),
                                LiveMetricsJob.class.getName())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        boolean finished = p.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);

        assertThat(finished).as("finished within 4 minutes; output:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output)
                .contains("LivePulse embedded run: simulator profile whitepaper, seed 42, 5 rooms");
        assertThat(output).contains("LivePulse · live rooms");
        // each broadcast's recap, printed as it ends: its GMV ranked among the room's broadcasts
        assertThat(output).contains("复盘 recap room-001-live-1: GMV ¥").contains("(rank 1 of 1)");
        String summary = output.substring(output.indexOf("LivePulse · final summary"));
        List<String> rooms = summary.lines().filter(l -> l.startsWith("room-")).toList();
        assertThat(rooms)
                .hasSize(5)
                .allMatch(l -> l.contains("*"), "every room ended (final snapshot)");
    }
}
