package io.livepulse.jobs.enrich;

import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Adds the viewer's fan tier to each viewer event, asynchronously, through a bounded LRU cache in
 * front of the fan directory. When the directory fails or is slower than the async timeout the
 * event goes on with tier {@code unknown} and a fallback is counted: enrichment never fails the
 * job, and never changes which events are counted (GMV totals do not depend on it).
 */
public class EnrichWithFanTier extends RichAsyncFunction<EventRecord, EventRecord> {
    private static final long serialVersionUID = 1L;

    private final FanDirectory directory;
    private final int cacheSize;
    private final long cacheTtlMs;

    private transient FanDirectory.Lookup lookup;
    private transient Map<String, Cached> cache;
    private transient Counter lookups;
    private transient Counter cacheHits;
    private transient Counter fallbacks;

    private record Cached(FanProfile profile, long loadedAt) {}

    /**
     * @param cacheSize profiles kept per task (LRU)
     * @param cacheTtlMs how long a cached profile is trusted, so new tiers reach later broadcasts
     */
    public EnrichWithFanTier(FanDirectory directory, int cacheSize, long cacheTtlMs) {
        this.directory = directory;
        this.cacheSize = cacheSize;
        this.cacheTtlMs = cacheTtlMs;
    }

    @Override
    public void open(OpenContext openContext) {
        lookup = directory.open();
        cache =
                new LinkedHashMap<>(1024, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                        return size() > cacheSize;
                    }
                };
        lookups = getRuntimeContext().getMetricGroup().counter("fanLookups");
        cacheHits = getRuntimeContext().getMetricGroup().counter("fanCacheHits");
        // Incremented from Lettuce threads as well as the task thread.
        fallbacks =
                getRuntimeContext()
                        .getMetricGroup()
                        .counter("redisFallbacks", new ThreadSafeSimpleCounter());
    }

    @Override
    public void asyncInvoke(EventRecord e, ResultFuture<EventRecord> result) {
        if (!e.isViewerEvent()) {
            result.complete(List.of(e));
            return;
        }
        String key = FanProfile.redisKey(e.room, e.user);
        Cached cached;
        synchronized (cache) {
            cached = cache.get(key);
        }
        if (cached != null && System.currentTimeMillis() - cached.loadedAt < cacheTtlMs) {
            cacheHits.inc();
            setProfileOnce(e, cached.profile);
            result.complete(List.of(e));
            return;
        }
        lookups.inc();
        lookup.lookup(e.room, e.user)
                .whenComplete(
                        (profile, error) -> {
                            if (error != null) {
                                fallBack(e, result);
                                return;
                            }
                            synchronized (cache) {
                                cache.put(key, new Cached(profile, System.currentTimeMillis()));
                            }
                            if (setProfileOnce(e, profile)) {
                                result.complete(List.of(e));
                            }
                        });
    }

    /** Slower than the async timeout: go on without the tier rather than fail the job. */
    @Override
    public void timeout(EventRecord e, ResultFuture<EventRecord> result) {
        fallBack(e, result);
    }

    /**
     * Completes with tier unknown, once: a Redis answer that arrives after Flink's timeout (or the
     * reverse) finds the event already marked and is not counted again.
     */
    private void fallBack(EventRecord e, ResultFuture<EventRecord> result) {
        synchronized (e) {
            if (e.tier != null) {
                return;
            }
            e.tier = Tier.UNKNOWN;
        }
        fallbacks.inc();
        result.complete(List.of(e));
    }

    /** Sets the fan data unless the event already went on as unknown (timed out). */
    private static boolean setProfileOnce(EventRecord e, FanProfile p) {
        synchronized (e) {
            if (e.tier != null) {
                return false;
            }
            setProfile(e, p);
            return true;
        }
    }

    private static void setProfile(EventRecord e, FanProfile p) {
        if (p == null) {
            e.tier = Tier.NON_FAN;
        } else {
            e.tier = p.tier();
            e.followedAt = p.followedAt();
            e.lastPurchaseAt = p.lastPurchaseAt();
        }
    }

    @Override
    public void close() {
        if (lookup != null) {
            lookup.close();
        }
    }
}
