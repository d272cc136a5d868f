package io.livepulse.jobs.records;

/**
 * A record the job could not use, with everything needed to find and replay it: the raw bytes,
 * where it came from, and why it was set aside.
 */
public class DeadLetter {
    /** A rejection code of the event contract, or {@code late_event}. */
    public String reason;

    public String detail;
    public String topic;
    public int partition;
    public long offset;
    public byte[] raw;

    /**
     * How far the stream had come when the record was rejected: the latest event time seen in its
     * partition ({@code Long.MIN_VALUE} before any). A rejected record has no trustworthy time of
     * its own; the dead-letter alert counts it here.
     */
    public long seenAt = Long.MIN_VALUE;

    public DeadLetter() {}

    public DeadLetter(
            String reason, String detail, String topic, int partition, long offset, byte[] raw) {
        this.reason = reason;
        this.detail = detail;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.raw = raw;
    }
}
