package io.livepulse.jobs.ingest;

import io.livepulse.events.DecodeResult;
import io.livepulse.events.EventCodec;
import io.livepulse.events.Rejection;
import io.livepulse.jobs.records.DeadLetter;
import io.livepulse.jobs.records.EventRecord;
import io.livepulse.jobs.records.Ingested;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;

/**
 * Turns raw bytes and their coordinates into an event or a dead letter, with the contract's rules.
 */
public final class RecordDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long maxFutureSkewMs;
    private transient EventCodec codec;

    public RecordDecoder(Duration maxFutureSkew) {
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    public Ingested decode(byte[] raw, String topic, int partition, long offset) {
        if (codec == null) {
            codec = new EventCodec(Clock.systemUTC(), Duration.ofMillis(maxFutureSkewMs));
        }
        DecodeResult result = codec.decode(raw);
        if (result instanceof DecodeResult.Valid valid) {
            Ingested event = Ingested.event(EventRecord.of(valid.event()));
            event.partition = partition;
            return event;
        }
        Rejection r = ((DecodeResult.Rejected) result).rejection();
        return Ingested.deadLetter(
                new DeadLetter(r.reason().code(), r.detail(), topic, partition, offset, raw));
    }
}
