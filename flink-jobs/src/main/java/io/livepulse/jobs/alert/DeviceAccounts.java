package io.livepulse.jobs.alert;

import io.livepulse.jobs.records.Hash64;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

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

    /**
     * The devices on which at least {@code minAccounts} distinct accounts entered, over the pairs
     * of a window's buckets; {@code null} if there is none. Pairs and devices are compared by their
     * 64-bit hashes, sorted in arrays: two different pairs with one hash would count once, a chance
     * of about n² / 2⁶⁵ for n pairs in a window.
     */
    static Crowded crowded(List<DeviceAccounts> window, long minAccounts) {
        int n = 0;
        for (DeviceAccounts d : window) {
            n += d.count;
        }
        long[] pairs = new long[n];
        long[] devices = new long[n];
        int k = 0;
        for (DeviceAccounts d : window) {
            for (int i = 0; i < d.count; i++, k++) {
                pairs[k] = d.pairHash(i);
                devices[k] = d.deviceHash(i);
            }
        }
        // the distinct pairs, then the device of each: one account on it
        long[] distinct = pairs.clone();
        Arrays.sort(distinct);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || distinct[m - 1] != distinct[i]) {
                distinct[m++] = distinct[i];
            }
        }
        boolean[] counted = new boolean[m];
        long[] accountDevices = new long[m];
        int accounts = 0;
        for (int i = 0; i < n; i++) {
            int at = Arrays.binarySearch(distinct, 0, m, pairs[i]);
            if (!counted[at]) {
                counted[at] = true;
                accountDevices[accounts++] = devices[i];
            }
        }
        Arrays.sort(accountDevices, 0, accounts);
        int crowdedDevices = 0;
        int accountsOnThem = 0;
        int most = 0;
        long busiest = 0;
        for (int i = 0; i < accounts; ) {
            int j = i;
            while (j < accounts && accountDevices[j] == accountDevices[i]) {
                j++;
            }
            if (j - i >= minAccounts) {
                crowdedDevices++;
                accountsOnThem += j - i;
                if (j - i > most) {
                    most = j - i;
                    busiest = accountDevices[i];
                }
            }
            i = j;
        }
        if (crowdedDevices == 0) {
            return null;
        }
        for (DeviceAccounts d : window) {
            for (int i = 0; i < d.count; i++) {
                if (d.deviceHash(i) == busiest) {
                    return new Crowded(crowdedDevices, accountsOnThem, most, d.device(i));
                }
            }
        }
        throw new IllegalStateException("the busiest device is in no pair");
    }

    /** Crowded devices: how many, the accounts on them all, and the one with the most accounts. */
    record Crowded(int devices, int accounts, int mostAccounts, String busiestDevice) {}

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
