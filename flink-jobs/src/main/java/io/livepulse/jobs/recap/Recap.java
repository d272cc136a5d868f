package io.livepulse.jobs.recap;

import io.livepulse.jobs.records.RoomSnapshot;
import java.util.List;

/**
 * The post-stream recap of one broadcast: its final figures (every group, the top products, the
 * goal) and how its headline figures compare with the room's earlier broadcasts.
 */
public class Recap {
    public String room;
    public String live;
    public long start;
    public long end;

    /** The broadcast's final snapshot (its {@code ts} is the end). */
    public RoomSnapshot last;

    /** One per {@link HeadlineFigures#FIGURES}, in that order. */
    public List<Comparison> history;

    public Recap() {}
}
