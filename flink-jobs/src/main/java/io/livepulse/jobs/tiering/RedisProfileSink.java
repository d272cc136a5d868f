package io.livepulse.jobs.tiering;

import io.livepulse.fans.FanProfile;
import io.livepulse.fans.RedisFanStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Writes scored profiles to Redis in pipelined batches, each key replaced whole. */
public final class RedisProfileSink implements Sink<FanProfile> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 1_000;

    private final String redisUri;

    public RedisProfileSink(String redisUri) {
        this.redisUri = redisUri;
    }

    @Override
    public SinkWriter<FanProfile> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            private final List<FanProfile> buffer = new ArrayList<>();

            @Override
            public void write(FanProfile p, Context c) {
                buffer.add(p);
                if (buffer.size() >= BATCH) {
                    flush(false);
                }
            }

            @Override
            public void flush(boolean endOfInput) {
                if (!buffer.isEmpty()) {
                    RedisFanStore.write(redisUri, buffer, n -> {});
                    buffer.clear();
                }
            }

            @Override
            public void close() {}
        };
    }
}
