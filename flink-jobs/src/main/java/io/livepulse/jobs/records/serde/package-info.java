/**
 * Hand-written Flink serializers for the records that cross the network and sit in state by the
 * million (events, viewer deltas, viewer state), and for what else fills the checkpoints: stage 1's
 * key and the alert rules' buckets. Flink's POJO serializer reads and writes each field by
 * reflection and each string character by character; these write the fields in a fixed order and
 * each string as one block of UTF-8 (docs/benchmarks.md, change 9); stage 1's key is read from the
 * checkpoints of before change 54 as Flink's string serializer wrote it, so they restore. A record
 * bound for a stream (a checkpoint) is staged in a buffer and written in one block (changes 19 to
 * 21).
 *
 * <p>The byte layout is part of the checkpoint format: a field added, removed or reordered needs a
 * new snapshot version, and the order of the enum constants written by ordinal ({@code EventType},
 * {@code Tier}) must not change.
 */
package io.livepulse.jobs.records.serde;
