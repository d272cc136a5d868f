package io.livepulse.jobs.enrich;

import io.livepulse.fans.Tier;
import io.livepulse.jobs.records.EventRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the viewer's fan tier to each viewer event, asynchronously, through a bounded cache in front
 * of the fan directory ({@link TierCache}). When the directory fails or is slower than the async
 * timeout the event goes on with tier {@code unknown} and a fallback is counted: enrichment never
 * fails the job, and never changes which events are counted (GMV totals do not depend on it).
 *
 * <p>A cache hit, the common case, sets the tier on the input record itself (change 48: the copy
 * was 3.6% of what the job allocated). The input is the async operator's own (it copies each one
 * when objects are reused, as the job has them); a hit is answered at once on the task thread;
 * should a checkpoint hold the record in flight, a recovery calls this function again for it and
 * the tier is set anew. A lookup works on a copy: it is answered on another thread (Lettuce's, or
 * the timeout's) while the task thread may be writing the record, in flight, into a checkpoint.
 *
 * <p>The backstop timeout ({@code enrich.async-timeout}) is set on each lookup's future here, not
 * given to Flink's async operator: that one registers a timer for every event, cache hits and all,
 * and cancels it at once (its timer tasks were 2.5% of what the job allocated; change 49). The
 * future completes once, with the profile, the directory's failure or the timeout, so the event is
 * emitted once.
 */
public class EnrichWithFanTier extends RichAsyncFunction<EventRecord, EventRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EnrichWithFanTier.class);

    /**
     * The largest cache a task may have: its arrays, 48 bytes an entry, are allocated when the task
     * opens, so this is 4.8 GB per task.
     */
    public static final int MAX_CACHE_SIZE = 100_000_000;

    /** Fallbacks are logged at most this often, with their count and the last one's cause. */
    private static final long FALLBACK_REPORT_MS = 10_000;

    private final FanDirectory directory;
    private final int cacheSize;
    private final long cacheTtlMs;
    private final long lookupTimeoutMs;

    private transient FanDirectory.Lookup lookup;
    private transient TierCache cache;
    private transient Counter lookups;
    private transient Counter cacheHits;
    private transient Counter fallbacks;
    private transient AtomicLong unreported;
    private transient AtomicLong lastReport;

    /**
     * @param cacheSize viewers whose tier is kept per task ({@link TierCache})
     * @param cacheTtlMs how long a cached tier is trusted, so new tiers reach later broadcasts
     * @param lookupTimeoutMs the backstop: a lookup not answered within it gives tier {@code
     *     unknown} (the directory's own timeouts and retries come first)
     */
    public EnrichWithFanTier(
            FanDirectory directory, int cacheSize, long cacheTtlMs, long lookupTimeoutMs) {
        if (lookupTimeoutMs <= 0) {
            throw new IllegalArgumentException(
                    "the lookup timeout must be positive, got " + lookupTimeoutMs + " ms");
        }
        this.directory = directory;
        this.cacheSize = cacheSize;
        this.cacheTtlMs = cacheTtlMs;
        this.lookupTimeoutMs = lookupTimeoutMs;
    }

    @Override
    public void open(OpenContext openContext) {
        lookup = directory.open();
        cache = new TierCache(cacheSize);
        lookups = getRuntimeContext().getMetricGroup().counter("fanLookups");
        cacheHits = getRuntimeContext().getMetricGroup().counter("fanCacheHits");
        // Incremented from Lettuce threads as well as the task thread.
        fallbacks =
                getRuntimeContext()
                        .getMetricGroup()
                        .counter("redisFallbacks", new ThreadSafeSimpleCounter());
        unreported = new AtomicLong();
        lastReport = new AtomicLong();
    }

    @Override
    public void asyncInvoke(EventRecord e, ResultFuture<EventRecord> result) {
        if (!e.isViewerEvent()) {
            result.complete(List.of(e));
            return;
        }
        TierCache.Entry cached = cache.get(e.room, e.user);
        if (cached != null && System.currentTimeMillis() - cached.loadedAt() < cacheTtlMs) {
            cacheHits.inc();
            setTier(e, cached);
            result.complete(List.of(e));
            return;
        }
        lookups.inc();
        lookup.lookup(e.room, e.user)
                .orTimeout(lookupTimeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete(
                        (profile, error) -> {
                            if (error != null) {
                                // slower than the backstop, or failed: go on without the tier
                                // rather than fail the job
                                fallback(result, unknown(e), causeOf(error));
                                return;
                            }
                            TierCache.Entry loaded =
                                    TierCache.Entry.of(profile, System.currentTimeMillis());
                            cache.put(e.room, e.user, loaded);
                            result.complete(List.of(withTier(e, loaded)));
                        });
    }

    private static String causeOf(Throwable error) {
        Throwable cause = FanDirectory.failureOf(error);
        return cause instanceof TimeoutException
                ? "no answer within the async timeout (enrich.async-timeout)"
                : cause.toString();
    }

    private void fallback(ResultFuture<EventRecord> result, EventRecord out, String cause) {
        fallbacks.inc();
        report(cause);
        result.complete(List.of(out));
    }

    /**
     * Logs the fallbacks, the first at once and then at most every {@link #FALLBACK_REPORT_MS}, so
     * an operator sees why viewers are counted under {@code unknown} without a line per event.
     */
    private void report(String cause) {
        unreported.incrementAndGet();
        long now = System.currentTimeMillis();
        long last = lastReport.get();
        if (now - last >= FALLBACK_REPORT_MS && lastReport.compareAndSet(last, now)) {
            LOG.warn(
                    "{} fan-tier lookup(s) answered 'unknown' since the last report; the last"
                            + " because: {}. A viewer whose first event of a broadcast gets"
                            + " 'unknown' is counted under 'unknown' for that broadcast.",
                    unreported.getAndSet(0),
                    cause);
        }
    }

    private static EventRecord withTier(EventRecord e, TierCache.Entry c) {
        EventRecord out = e.copy();
        setTier(out, c);
        return out;
    }

    private static void setTier(EventRecord e, TierCache.Entry c) {
        e.tier = c.tier();
        e.followedAt = c.followedAt();
        e.lastPurchaseAt = c.lastPurchaseAt();
    }

    private static EventRecord unknown(EventRecord e) {
        EventRecord out = e.copy();
        out.tier = Tier.UNKNOWN;
        out.followedAt = null;
        out.lastPurchaseAt = null;
        return out;
    }

    @Override
    public void close() {
        if (lookup != null) {
            lookup.close();
        }
    }
}
