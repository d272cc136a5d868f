package io.livepulse.jobs.sink;

import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import io.livepulse.jobs.records.RoomMetrics;
import io.livepulse.jobs.records.RoomSnapshot;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The embedded run's screen: once a second (wall clock) a board of every room's latest snapshot,
 * and when the input ends a summary of each room's final figures. Run it with parallelism 1.
 */
public final class ConsoleBoard implements Sink<RoomSnapshot> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<RoomSnapshot> createWriter(WriterInitContext context) {
        return new Writer(System.out);
    }

    static final class Writer implements SinkWriter<RoomSnapshot> {
        private final PrintStream out;
        private final Map<String, RoomSnapshot> latest = new TreeMap<>();
        private final Map<String, RoomSnapshot> finals = new TreeMap<>();
        private long lastRender = System.nanoTime();

        Writer(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(RoomSnapshot s, Context context) {
            latest.put(s.room, s);
            if (s.isFinal) {
                finals.put(s.room + " " + s.live, s);
            }
            if (System.nanoTime() - lastRender >= 1_000_000_000L) {
                render("LivePulse · live rooms", latest);
                lastRender = System.nanoTime();
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            if (endOfInput) {
                render("LivePulse · final summary (复盘)", finals.isEmpty() ? latest : finals);
            }
        }

        private void render(String title, Map<String, RoomSnapshot> rooms) {
            StringBuilder b = new StringBuilder();
            b.append('\n').append(title).append('\n');
            b.append(
                    String.format(
                            "%-10s %-20s %9s %7s %7s %9s %9s %14s %7s %7s  %s%n",
                            "room",
                            "event time",
                            "online",
                            "PCU",
                            "fans",
                            "watch",
                            "interact",
                            "GMV",
                            "fanGMV",
                            "oldGMV",
                            "GMV by tier (true_love/affinity/passerby/non_fan/unknown)"));
            for (RoomSnapshot s : rooms.values()) {
                GroupFigures all = s.group(Group.ALL);
                b.append(
                        String.format(
                                "%-10s %-20s %9d %7d %7s %9s %9s %14s %7s %7s  %s/%s/%s/%s/%s%n",
                                s.room,
                                Instant.ofEpochMilli(s.ts).toString().substring(0, 19)
                                        + (s.isFinal ? "*" : ""),
                                all.online,
                                all.pcu,
                                percent(RoomMetrics.fanViewingRatio(s)),
                                lift(RoomMetrics.watchLift(s)),
                                lift(RoomMetrics.interactionLift(s)),
                                money(all.gmvCents()),
                                percent(RoomMetrics.fanGmvShare(s)),
                                percent(RoomMetrics.oldFanGmvShare(s)),
                                money(s.group(Group.TRUE_LOVE).gmvCents()),
                                money(s.group(Group.AFFINITY).gmvCents()),
                                money(s.group(Group.PASSERBY).gmvCents()),
                                money(s.group(Group.NON_FAN).gmvCents()),
                                money(s.group(Group.UNKNOWN).gmvCents())));
            }
            b.append(
                    "fans = fan viewing ratio; watch, interact = fans' lift over non-fans; * = final\n");
            out.print(b);
            out.flush();
        }

        private static String percent(Double r) {
            return r == null ? "-" : String.format("%.1f%%", r * 100);
        }

        private static String lift(Double r) {
            return r == null ? "-" : String.format("%+.0f%%", r * 100);
        }

        private static String money(long cents) {
            return String.format("¥%,.2f", cents / 100.0);
        }

        @Override
        public void close() {}
    }
}
