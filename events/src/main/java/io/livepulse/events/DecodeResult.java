package io.livepulse.events;

/** The outcome of decoding one raw record: a valid event or a rejection, never an exception. */
public sealed interface DecodeResult {

    record Valid(LiveEvent event) implements DecodeResult {}

    record Rejected(Rejection rejection) implements DecodeResult {}
}
