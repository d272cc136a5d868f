package io.livepulse.jobs.sink;

import io.livepulse.jobs.recap.Comparison;
import io.livepulse.jobs.recap.Recap;
import io.livepulse.jobs.recap.report.RecapSections;
import io.livepulse.jobs.records.Group;
import io.livepulse.jobs.records.GroupFigures;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The console's recap: one line per broadcast as soon as it is over (the embedded run has no
 * InfluxDB for {@code scripts/recap.sh} to read).
 */
public final class PrintedRecaps implements Sink<Recap> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<Recap> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(Recap r, Context c) {
                System.out.println(line(r));
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    static String line(Recap r) {
        GroupFigures all = r.last.group(Group.ALL);
        Comparison gmv = r.history.get(0);
        return "复盘 recap "
                + r.live
                + ": GMV "
                + RecapSections.money(all.gmvCents())
                + (gmv.rank == null ? "" : " (rank " + gmv.rank + " of " + gmv.of + ")")
                + ", UV "
                + RecapSections.count(all.uv)
                + ", PCU "
                + RecapSections.count(all.pcu)
                + ", orders "
                + RecapSections.count(all.orders)
                + (r.last.topProducts.isEmpty()
                        ? ""
                        : ", top product "
                                + r.last.topProducts.get(0).sku
                                + " "
                                + RecapSections.money(r.last.topProducts.get(0).gmvCents()));
    }
}
