package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlowTicksTest {
    @TempDir Path dir;

    /** A tick of 1.5 s beyond its end, its snapshot 0.6 s after it. */
    private static final SlowTicks.Tick SLOW = new SlowTicks.Tick(0, 10_000, 11_500, 600);

    private static final SlowTicks.Checkpoint DURING =
            new SlowTicks.Checkpoint(7, 11_000, 12_000, "COMPLETED");
    private static final SlowTicks.Checkpoint BEFORE =
            new SlowTicks.Checkpoint(6, 5_000, 6_000, "COMPLETED");

    @Test
    void aSpanHoldsTheStopsTimeInsideItAndTheCheckpointsThatOverlapIt() {
        List<GcLog.Stop> stops =
                List.of(
                        // began before the tick ended: only its last 50 ms count
                        new GcLog.Stop(10_050, 100, "Pause Young"),
                        // 100 ms before the snapshot, 200 after it
                        new GcLog.Stop(10_800, 300, "Pause Young"),
                        // after the poll saw the point
                        new GcLog.Stop(11_700, 100, "Pause Young"));

        InfluxLog.Op snapshot = new InfluxLog.Op("Cache snapshot", 11_400, 14_000);
        InfluxLog.Op earlier = new InfluxLog.Op("TSM compaction level 1", 3_000, 10_000);
        SlowTicks.Span span =
                SlowTicks.spans(
                                List.of(SLOW),
                                stops,
                                List.of(BEFORE, DURING),
                                List.of(earlier, snapshot))
                        .get(0);

        assertThat(span.stops()).isEqualTo(2);
        assertThat(span.stopMs()).isEqualTo(350);
        assertThat(span.stopMsUntilSnapshot()).isEqualTo(150);
        assertThat(span.longestStopMs()).isEqualTo(300);
        assertThat(span.checkpoints()).containsExactly(DURING);
        assertThat(span.influxOps())
                .as(
                        "what InfluxDB did while the tick waited; a compaction ending as it ended did not")
                .containsExactly(snapshot);
    }

    @Test
    void aTickWithoutItsSplitHasNoStopBeforeTheSnapshot() {
        SlowTicks.Tick unsplit = new SlowTicks.Tick(0, 10_000, 10_400, -1);
        SlowTicks.Span span =
                SlowTicks.spans(
                                List.of(unsplit),
                                List.of(new GcLog.Stop(10_200, 100, "Pause Young")),
                                List.of(),
                                List.of())
                        .get(0);

        assertThat(span.stopMs()).isEqualTo(100);
        assertThat(span.stopMsUntilSnapshot()).isZero();
        assertThat(span.checkpoints()).isEmpty();
    }

    @Test
    void theTicksOverTheBoundAreSetAgainstTheRestAndTheSlowestListedFirst() {
        List<SlowTicks.Span> spans =
                SlowTicks.spans(
                        List.of(
                                new SlowTicks.Tick(1, 0, 400, 100),
                                SLOW,
                                new SlowTicks.Tick(2, 20_000, 20_800, 300),
                                new SlowTicks.Tick(1, 30_000, 32_000, 1_500)),
                        List.of(
                                new GcLog.Stop(10_300, 250, "Pause Young"),
                                new GcLog.Stop(30_500, 100, "Pause Young")),
                        List.of(DURING),
                        List.of(new InfluxLog.Op("Cache snapshot", 20_100, 20_200)));

        SlowTicks.Summary summary =
                SlowTicks.summarize(
                        spans,
                        2,
                        List.of(
                                BEFORE,
                                DURING,
                                new SlowTicks.Checkpoint(8, 21_000, 23_000, "COMPLETED")),
                        1,
                        5_000);

        assertThat(summary.checkpointP50Ms()).isEqualTo(1_000);
        assertThat(summary.checkpointMaxMs()).isEqualTo(2_000);
        assertThat(summary.checkpointPhaseMs())
                .as("triggered 0, 1 and 1 s after a 5 s tick's end")
                .isEqualTo(1_000);
        SlowTicks.Group slow = summary.groups().get(0);
        assertThat(slow.ticks()).isEqualTo(2);
        assertThat(slow.beyondP50Ms()).as("the upper median of 1,500 and 2,000").isEqualTo(2_000);
        assertThat(slow.stopMsP50()).isEqualTo(250);
        assertThat(slow.stopShareP50()).isEqualTo(250.0 / 1_500);
        assertThat(slow.withLongStop()).as("the 250 ms stop is over the 200 ms bound").isOne();
        assertThat(slow.withCheckpoint()).isOne();
        assertThat(slow.withInfluxOp()).isZero();
        SlowTicks.Group rest = summary.groups().get(1);
        assertThat(rest.ticks()).isEqualTo(2);
        assertThat(rest.stopMsP50()).isZero();
        assertThat(rest.withCheckpoint()).isZero();
        assertThat(rest.withInfluxOp()).isOne();
        assertThat(summary.slowest())
                .extracting(s -> s.tick().beyondMs())
                .containsExactly(2_000L, 1_500L, 800L, 400L);
    }

    @Test
    void onlyFinishedCheckpointsAreReadFromFlinksReply() throws Exception {
        String reply =
                """
                {"counts": {"completed": 2},
                 "history": [
                   {"id": 9, "status": "IN_PROGRESS", "trigger_timestamp": 30000,
                    "latest_ack_timestamp": -1},
                   {"id": 8, "status": "FAILED", "trigger_timestamp": 20000,
                    "latest_ack_timestamp": 20500},
                   {"id": 7, "status": "COMPLETED", "trigger_timestamp": 11000,
                    "latest_ack_timestamp": 12000}]}
                """;

        assertThat(SlowTicks.checkpointsIn(new ObjectMapper().readTree(reply)))
                .containsExactly(new SlowTicks.Checkpoint(8, 20_000, 20_500, "FAILED"), DURING);
        assertThat(SlowTicks.checkpointsIn(new ObjectMapper().readTree("{}"))).isEmpty();
    }

    @Test
    void everyTickIsARowOfTheCsv() throws Exception {
        Path csv = dir.resolve("ticks.csv");
        SlowTicks.writeCsv(
                SlowTicks.spans(
                        List.of(SLOW, new SlowTicks.Tick(1, 15_000, 15_300, -1)),
                        List.of(new GcLog.Stop(10_800, 300, "Pause Young")),
                        List.of(DURING),
                        List.of(new InfluxLog.Op("Cache snapshot", 11_000, 11_200))),
                csv);

        assertThat(Files.readAllLines(csv))
                .containsExactly(
                        "room,tick_end,tick_end_ms,beyond_ms,until_snapshot_ms,gc_stops,"
                                + "gc_stop_ms,gc_stop_ms_until_snapshot,longest_gc_stop_ms,"
                                + "checkpoints,influxdb_ops",
                        "0,1970-01-01T00:00:10Z,10000,1500,600,1,300,100,300,7,Cache snapshot",
                        "1,1970-01-01T00:00:15Z,15000,300,-1,0,0,0,0,,");
    }

    @Test
    void everyCheckpointIsARowInTriggerOrderWithItsPointOfATickAndItsLastTask() throws Exception {
        Path csv = dir.resolve("checkpoints.csv");
        SlowTicks.TaskParts stage1 =
                new SlowTicks.TaskParts("Viewer sessions (room, user)", 120, 1300, 5, 40);
        SlowTicks.writeCheckpointsCsv(
                List.of(
                        new SlowTicks.Checkpoint(8, 21_500, 23_000, "FAILED").withLastTask(stage1),
                        DURING),
                5_000,
                csv);

        assertThat(Files.readAllLines(csv))
                .containsExactly(
                        "id,trigger,trigger_ms,after_tick_ms,duration_ms,status,last_task,"
                                + "last_task_sync_ms,last_task_async_ms,last_task_alignment_ms,"
                                + "last_task_start_delay_ms",
                        "7,1970-01-01T00:00:11Z,11000,1000,1000,COMPLETED,\"\",-1,-1,-1,-1",
                        "8,1970-01-01T00:00:21.500Z,21500,1500,1500,FAILED,"
                                + "\"Viewer sessions (room, user)\",120,1300,5,40");
    }

    @Test
    void theLastTaskIsTheOneWhoseAcknowledgementCameLast() throws Exception {
        String details =
                """
                {"id": 31, "status": "COMPLETED", "tasks": {
                   "source": {"latest_ack_timestamp": 1065, "end_to_end_duration": 58},
                   "stage1": {"latest_ack_timestamp": 1969, "end_to_end_duration": 962},
                   "stage2": {"latest_ack_timestamp": 1300, "end_to_end_duration": 293}}}
                """;

        assertThat(SlowTicks.lastTaskIn(new ObjectMapper().readTree(details))).isEqualTo("stage1");
        assertThat(SlowTicks.lastTaskIn(new ObjectMapper().readTree("{}"))).isNull();
    }

    @Test
    void aTasksPartsAreTheLargestOverItsSubtasks() throws Exception {
        String subtasks =
                """
                {"id": 31, "summary": {
                   "end_to_end_duration": {"min": 899, "max": 950, "avg": 924, "p50": "NaN"},
                   "checkpoint_duration": {
                     "sync": {"min": 39, "max": 68, "avg": 53},
                     "async": {"min": 797, "max": 869, "avg": 833}},
                   "alignment": {"buffered": {"max": 0}, "duration": {"min": 0, "max": 7}},
                   "start_delay": {"min": 29, "max": 30, "avg": 29}},
                 "subtasks": []}
                """;

        assertThat(SlowTicks.taskPartsIn("Viewer sessions", new ObjectMapper().readTree(subtasks)))
                .isEqualTo(new SlowTicks.TaskParts("Viewer sessions", 68, 869, 7, 30));
        assertThat(SlowTicks.taskPartsIn("Viewer sessions", new ObjectMapper().readTree("{}")))
                .as("what Flink does not say is -1, not 0")
                .isEqualTo(new SlowTicks.TaskParts("Viewer sessions", -1, -1, -1, -1));
    }
}
