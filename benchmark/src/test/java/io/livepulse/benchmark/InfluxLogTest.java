package io.livepulse.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfluxLogTest {
    /** Lines of a real InfluxDB 1.6 log (run K12), paths shortened. */
    private static final List<String> LINES =
            List.of(
                    "ts=2026-12-05T14:47:54.272584Z lvl=info msg=\"Compacting file\""
                            + " log_id=16yf2cVG000 engine=tsm1 tsm1_level=1 tsm1_strategy=level"
                            + " trace_id=16yfefd0000 op_name=tsm1_compact_group tsm1_index=7"
                            + " tsm1_file=/data/livepulse/autogen/3/000000008-000000001.tsm",
                    "ts=2026-12-05T14:48:00.285286Z lvl=info msg=\"TSM compaction (end)\""
                            + " log_id=16yf2cVG000 engine=tsm1 tsm1_level=1 tsm1_strategy=level"
                            + " trace_id=16yfefd0000 op_name=tsm1_compact_group op_event=end"
                            + " op_elapsed=6012.969ms",
                    "ts=2026-12-05T14:48:46.263440Z lvl=info msg=\"Cache snapshot (start)\""
                            + " log_id=16yf2cVG000 engine=tsm1 trace_id=16yfhqil000"
                            + " op_name=tsm1_cache_snapshot op_event=start",
                    "ts=2026-12-05T14:48:50.910713Z lvl=info msg=\"Cache snapshot (end)\""
                            + " log_id=16yf2cVG000 engine=tsm1 trace_id=16yfhqil000"
                            + " op_name=tsm1_cache_snapshot op_event=end op_elapsed=4647.283ms");

    private static long at(String utc) {
        return Instant.parse(utc).toEpochMilli();
    }

    @Test
    void eachOperationRunsFromItsEndLineBackByItsElapsedTime() {
        assertThat(InfluxLog.ops(LINES))
                .containsExactly(
                        new InfluxLog.Op(
                                "TSM compaction level 1",
                                at("2026-12-05T14:47:54.272Z"),
                                at("2026-12-05T14:48:00.285Z")),
                        new InfluxLog.Op(
                                "Cache snapshot",
                                at("2026-12-05T14:48:46.263Z"),
                                at("2026-12-05T14:48:50.910Z")));
    }

    @Test
    void onlyTheOperationsThatOverlapTheWindowAreKept() {
        assertThat(InfluxLog.within(LINES, at("2026-12-05T14:48:30Z"), at("2026-12-05T14:48:47Z")))
                .extracting(InfluxLog.Op::kind)
                .containsExactly("Cache snapshot");
        assertThat(InfluxLog.within(List.of("not a log line"), 0, Long.MAX_VALUE)).isEmpty();
    }
}
