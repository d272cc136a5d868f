package io.livepulse.jobs.alert;

/**
 * The shared-device rule's window of one room, kept up to date as its 10 s buckets enter and leave
 * it: each distinct (device, account) pair is counted once, each device by its distinct accounts,
 * and the crowded devices (those with at least {@code minAccounts}) as their counts cross it.
 *
 * <p>Recounting the window at each bucket's end hashed and sorted every pair of its ten minutes,
 * every room, every 10 s: 11% of the TaskManager's samples in the latency benchmark, two thirds of
 * them in the second after each multiple of 10 s, the moment that tick is written
 * (docs/benchmarks.md). Here a pair is hashed when it enters the window and when it leaves. Pairs
 * and devices are told apart by their 64-bit hashes: two different pairs with one hash would count
 * once, a chance of about n² / 2⁶⁵ for n pairs in a window.
 *
 * <p>It is not Flink state but a cache of what the buckets in state hold: a restored job starts
 * without it and builds it from the buckets at the room's next judgement. It holds the buckets
 * [{@code from}, {@code to}) as they are in state, so a pair added to one of them later (a late
 * entry) must be {@linkplain #heard heard} at once, and a bucket must leave the window before it
 * leaves the state.
 */
final class DeviceWindow {
    /** Where a window reads a bucket's pairs: {@code null} if the room has no such bucket. */
    interface BucketPairs {
        DeviceAccounts at(long bucketStart) throws Exception;
    }

    private final long minAccounts;

    /** Each pair's hash: how many times the window's buckets hold it. */
    private final LongCounts pairs = new LongCounts();

    /** Each device's hash: its distinct accounts in the window. */
    private final LongCounts accounts = new LongCounts();

    private int crowdedDevices;
    private int accountsOnCrowded;

    /** The window holds the buckets starting in [from, to); none while the two are equal. */
    private long from;

    private long to;

    DeviceWindow(long minAccounts) {
        this.minAccounts = minAccounts;
    }

    /**
     * Makes the window hold the buckets starting in [{@code newFrom}, {@code newTo}), both
     * multiples of the bucket size: the buckets it held outside that range are taken away, those it
     * did not hold are added. Usually one bucket leaves and one enters.
     */
    void moveTo(long newFrom, long newTo, BucketPairs buckets) throws Exception {
        for (long b = from; b < to; b += Buckets.SIZE_MS) {
            if (b < newFrom || b >= newTo) {
                DeviceAccounts d = buckets.at(b);
                for (int i = 0; d != null && i < d.size(); i++) {
                    take(d, i);
                }
            }
        }
        for (long b = newFrom; b < newTo; b += Buckets.SIZE_MS) {
            if (b < from || b >= to) {
                DeviceAccounts d = buckets.at(b);
                for (int i = 0; d != null && i < d.size(); i++) {
                    put(d, i);
                }
            }
        }
        from = newFrom;
        to = newTo;
    }

    /**
     * Pair {@code i} of {@code pairs}, just added to the bucket starting at {@code bucketStart}:
     * counted now if the window holds that bucket, as it will be taken away when the bucket leaves.
     */
    void heard(long bucketStart, DeviceAccounts pairs, int i) {
        if (bucketStart >= from && bucketStart < to) {
            put(pairs, i);
        }
    }

    /** Crowded devices: how many, the accounts on them all, and the one with the most accounts. */
    record Crowded(int devices, int accounts, int mostAccounts, String busiestDevice) {}

    /**
     * The crowded devices of the window; {@code null} if there is none. The busiest is the device
     * with the most accounts (the lowest hash among equals), named from the buckets' pairs.
     */
    Crowded crowded(BucketPairs buckets) throws Exception {
        if (crowdedDevices == 0) {
            return null;
        }
        long[] busiest = {0, 0}; // hash, accounts
        accounts.forEach(
                (device, n) -> {
                    if (n > busiest[1] || (n == busiest[1] && device < busiest[0])) {
                        busiest[0] = device;
                        busiest[1] = n;
                    }
                });
        return new Crowded(
                crowdedDevices, accountsOnCrowded, (int) busiest[1], device(busiest[0], buckets));
    }

    /** The device whose hash is {@code deviceHash}, from the first of the window's pairs on it. */
    private String device(long deviceHash, BucketPairs buckets) throws Exception {
        for (long b = from; b < to; b += Buckets.SIZE_MS) {
            DeviceAccounts d = buckets.at(b);
            for (int i = 0; d != null && i < d.size(); i++) {
                if (d.deviceHash(i) == deviceHash) {
                    return d.device(i);
                }
            }
        }
        throw new IllegalStateException("the busiest device is in none of the window's pairs");
    }

    private void put(DeviceAccounts d, int i) {
        if (pairs.add(d.pairHash(i), 1) > 1) {
            return; // the account was on the device already
        }
        int n = accounts.add(d.deviceHash(i), 1);
        if (n == minAccounts) {
            crowdedDevices++;
            accountsOnCrowded += n;
        } else if (n > minAccounts) {
            accountsOnCrowded++;
        }
    }

    private void take(DeviceAccounts d, int i) {
        if (pairs.add(d.pairHash(i), -1) > 0) {
            return; // the pair is still in another bucket of the window
        }
        int n = accounts.add(d.deviceHash(i), -1);
        if (n == minAccounts - 1) {
            crowdedDevices--;
            accountsOnCrowded -= n + 1;
        } else if (n >= minAccounts) {
            accountsOnCrowded--;
        }
    }
}
