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
