package io.livepulse.jobs.recap;

import io.livepulse.jobs.records.RoomSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by room: turns each broadcast's final snapshot into its recap, comparing its headline
 * figures with the room's earlier broadcasts, and remembers them for the next. The room keeps the
 * headline figures of its last {@link #HISTORY} broadcasts (a few hundred bytes each).
 */
public class BroadcastRecaps extends KeyedProcessFunction<String, RoomSnapshot, Recap> {
    private static final long serialVersionUID = 1L;

    /** How many earlier broadcasts of a room a recap compares with. */
    public static final int HISTORY = 100;

    private transient ListState<HeadlineFigures> history;

    @Override
    public void open(OpenContext openContext) {
        history =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "history", TypeInformation.of(HeadlineFigures.class)));
    }

    @Override
    public void processElement(RoomSnapshot s, Context ctx, Collector<Recap> out) throws Exception {
        if (!s.isFinal) {
            return;
        }
        List<HeadlineFigures> earlier = new ArrayList<>();
        for (HeadlineFigures h : history.get()) {
            if (!h.live.equals(s.live)) { // a broadcast that ended twice counts once
                earlier.add(h);
            }
        }
        HeadlineFigures now = HeadlineFigures.of(s);
        Recap r = new Recap();
        r.room = s.room;
        r.live = s.live;
        r.start = s.start;
        r.end = s.ts;
        r.last = s;
        r.history = new ArrayList<>();
        for (HeadlineFigures.Figure f : HeadlineFigures.FIGURES) {
            List<Double> values = new ArrayList<>(earlier.size());
            for (HeadlineFigures h : earlier) {
                values.add(f.value().apply(h));
            }
            r.history.add(Comparison.of(f.name(), f.value().apply(now), values));
        }
        out.collect(r);
        earlier.add(now);
        history.update(
                new ArrayList<>(
                        earlier.subList(Math.max(0, earlier.size() - HISTORY), earlier.size())));
    }
}
