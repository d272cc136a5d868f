package io.livepulse.jobs.ingest;

import static io.livepulse.jobs.Story.comment;
import static io.livepulse.jobs.Story.enter;
import static io.livepulse.jobs.Story.like;
import static io.livepulse.jobs.Story.liveStart;
import static io.livepulse.jobs.Story.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Ingested;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class SplitParsedEventsTest {

    /**
     * Each record reaches its readers and no others: viewer events go on, room events to the room
     * aggregates alone, what the per-room rules read to them as well, dead letters aside.
     */
    @Test
    void eachRecordGoesToItsReaders() throws Exception {
        try (OneInputStreamOperatorTestHarness<Ingested, EventRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new SplitParsedEvents())) {
            EventRecord start = liveStart().at(seconds(0));
            EventRecord likes = like("alice", 3).at(seconds(1));
            EventRecord says = comment("bob").at(seconds(2));
            says.text = "好喝!";
            EventRecord entersOnAPhone = enter("carol").at(seconds(3));
            entersOnAPhone.device = "phone-1";
            EventRecord enters = enter("dave").at(seconds(4));
            for (EventRecord e : List.of(start, likes, says, entersOnAPhone, enters)) {
                harness.processElement(new StreamRecord<>(Ingested.event(e), e.ts));
            }

            // the harness copies each record: they are told apart by their ids
            assertThat(harness.extractOutputValues())
                    .extracting(e -> e.id)
                    .containsExactly(likes.id, says.id, entersOnAPhone.id, enters.id);
            assertThat(values(harness, SplitParsedEvents.ROOM_EVENTS))
                    .extracting(e -> e.id)
                    .containsExactly(start.id);
            assertThat(values(harness, SplitParsedEvents.FOR_EVENT_RULES))
                    .extracting(e -> e.id, e -> e.text, e -> e.device)
                    .containsExactly(
                            tuple(says.id, "好喝!", null), tuple(entersOnAPhone.id, null, "phone-1"));
            assertThat(harness.getSideOutput(SplitParsedEvents.DEAD_LETTERS)).isNull();
        }
    }

    /** A dead letter is stamped with the latest event time of its partition, or none seen. */
    @Test
    void aDeadLetterCarriesTheLatestEventTimeOfItsPartition() throws Exception {
        try (OneInputStreamOperatorTestHarness<Ingested, EventRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new SplitParsedEvents())) {
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

            assertThat(values(harness, SplitParsedEvents.DEAD_LETTERS))
                    .extracting(d -> d.seenAt)
                    .containsExactly(seconds(9) + 5, seconds(9), Long.MIN_VALUE);
        }
    }

    private static <T> List<T> values(
            OneInputStreamOperatorTestHarness<Ingested, EventRecord> harness, OutputTag<T> tag) {
        return harness.getSideOutput(tag).stream().map(StreamRecord::getValue).toList();
    }
}
