package io.livepulse.jobs.ingest;

import static io.livepulse.jobs.Story.like;
import static io.livepulse.jobs.Story.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Ingested;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class SplitDeadLettersTest {

    /** A dead letter is stamped with the latest event time of its partition, or none seen. */
    @Test
    void aDeadLetterCarriesTheLatestEventTimeOfItsPartition() throws Exception {
        try (OneInputStreamOperatorTestHarness<Ingested, EventRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new SplitDeadLetters())) {
            for (int partition : new int[] {0, 5}) {
                for (long t : new long[] {seconds(7), seconds(9), seconds(8)}) {
                    Ingested in = Ingested.event(like("alice", 1).at(t + partition));
                    in.partition = partition;
                    harness.processElement(new StreamRecord<>(in, t));
                }
            }
            for (int partition : new int[] {5, 0, 3}) {
                DeadLetter bad =
                        new DeadLetter("bad_json", "no", "topic", partition, 1, new byte[0]);
                harness.processElement(new StreamRecord<>(Ingested.deadLetter(bad)));
            }

            assertThat(harness.extractOutputValues()).as("the valid events, on").hasSize(6);
            assertThat(values(harness, SplitDeadLetters.DEAD_LETTERS))
                    .extracting(d -> d.seenAt)
                    .containsExactly(seconds(9) + 5, seconds(9), Long.MIN_VALUE);
        }
    }

    private static <T> List<T> values(
            OneInputStreamOperatorTestHarness<Ingested, EventRecord> harness, OutputTag<T> tag) {
        return harness.getSideOutput(tag).stream().map(StreamRecord::getValue).toList();
    }
}
