package io.livepulse.jobs.records;

/** What the source hands on: a valid event, or a dead letter. Exactly one field is set. */
public class Ingested {
    public EventRecord event;
    public DeadLetter deadLetter;

    /** The source partition of a valid event (a dead letter carries its own). */
    public int partition;

    public Ingested() {}

    public static Ingested event(EventRecord event) {
        Ingested i = new Ingested();
        i.event = event;
        return i;
    }

    public static Ingested deadLetter(DeadLetter deadLetter) {
        Ingested i = new Ingested();
        i.deadLetter = deadLetter;
        return i;
    }

    /** Event time for watermarks; dead letters must not move the watermark. */
    public long eventTime() {
        return event != null ? event.ts : Long.MIN_VALUE;
    }
}
