package io.livepulse.jobs.alert;

import io.livepulse.jobs.records.Hash64;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The (device, account) pairs one bucket of a room heard, for the shared-device rule: each pair as
 * the UTF-8 bytes of "device\naccount", all of them in one array.
 *
 * <p>Every viewer who enters with a device adds a pair, and a pair stays for the rule's window. As
 * a string in a map, a pair was three objects (the string, its bytes and the map's node), about 100
 * bytes for each viewer in a window: with a million viewers in state, the young collections copied
 * them all (docs/benchmarks.md, change 33). Here a pair is its bytes and the offset of its end.
 *
 * <p>A pair heard twice in a bucket is kept twice; the rule counts distinct pairs. The checkpoint
 * writes the pairs as the map of strings did before ({@code BucketSerializer}), so a checkpoint of
 * either restores.
 */
public final class DeviceAccounts {
    private static final byte[] NO_BYTES = new byte[0];
    private static final int[] NO_ENDS = new int[0];

    /** The pairs' bytes, one after another. */
    private byte[] bytes = NO_BYTES;

    /** Where each pair's bytes end. */
    private int[] ends = NO_ENDS;

    private int count;

    /** Adds the pair of {@code device} and {@code account}. */
    public void add(String device, String account) {
        add((device + '\n' + account).getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a pair from its bytes ("device\naccount"), as a checkpoint holds them. */
    public void add(byte[] pair) {
        int start = start(count);
        if (start + pair.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(start + pair.length, bytes.length * 2));
        }
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, Math.max(2, count * 2));
        }
        System.arraycopy(pair, 0, bytes, start, pair.length);
        ends[count++] = start + pair.length;
    }

    /** How many pairs were added, repeats included. */
    public int size() {
        return count;
    }

    /** The device of pair {@code i}. */
    public String device(int i) {
        int start = start(i);
        return new String(bytes, start, deviceEnd(i) - start, StandardCharsets.UTF_8);
    }

    /** A 64-bit hash of the device of pair {@code i}. */
    long deviceHash(int i) {
        return hash(start(i), deviceEnd(i));
    }

    /** A 64-bit hash of pair {@code i}, device and account. */
    long pairHash(int i) {
        return hash(start(i), ends[i]);
    }

    /** A copy that shares no array with this one. */
    public DeviceAccounts copy() {
        DeviceAccounts c = new DeviceAccounts();
        c.bytes = Arrays.copyOf(bytes, start(count));
        c.ends = Arrays.copyOf(ends, count);
        c.count = count;
        return c;
    }

    /** What is handed each pair's bytes; for the checkpoint. */
    public interface PairBytes {
        void accept(byte[] bytes, int offset, int length) throws IOException;
    }

    /** Hands {@code to} each pair's bytes ("device\naccount") in the order they were added. */
    public void forEachPair(PairBytes to) throws IOException {
        for (int i = 0; i < count; i++) {
            int start = start(i);
            to.accept(bytes, start, ends[i] - start);
        }
    }

    /** The same pairs in the same order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceAccounts d
                && d.count == count
                && Arrays.equals(d.ends, 0, count, ends, 0, count)
                && Arrays.equals(d.bytes, 0, start(count), bytes, 0, start(count));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(Arrays.copyOf(ends, count));
    }

    /** The pairs, as "device→account". */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            int start = start(i);
            String pair = new String(bytes, start, ends[i] - start, StandardCharsets.UTF_8);
            b.append(i == 0 ? "" : ", ").append(pair.replace('\n', '→'));
        }
        return b.append(']').toString();
    }

    private int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    private int deviceEnd(int i) {
        int end = ends[i];
        for (int at = start(i); at < end; at++) {
            if (bytes[at] == '\n') {
                return at;
            }
        }
        return end;
    }

    /** {@link Hash64} over the bytes. */
    private long hash(int from, int to) {
        long h = Hash64.START;
        for (int at = from; at < to; at++) {
            h = Hash64.add(h, bytes[at] & 0xff);
        }
        return Hash64.finish(h);
    }
}
