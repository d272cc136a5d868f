package io.livepulse.jobs.enrich;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.livepulse.fans.FanProfile;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fan profiles from Redis through Lettuce's async API. Built never to stall the job: every command
 * has a timeout (set below the Flink async timeout), the request queue is bounded, commands are
 * rejected at once while disconnected, and a Redis that is down at start is retried in the
 * background instead of failing the task.
 *
 * <p>A command that timed out is sent again ({@code retries} times): without a retry a viewer whose
 * first lookup failed would be frozen as {@code unknown} for the whole broadcast (the fault suite
 * saw it after a restart, docs/reliability.md). A Redis that is really stopped costs each lookup
 * {@code retries + 1} timeouts before the fallback.
 *
 * <p>A timeout while this TaskManager itself was stalled (a long GC, a {@code SIGSTOP}, two busy
 * cores; see {@link StallWatch}) is not counted against those retries: every command in flight
 * times out at once when the process wakes, with Redis fine and their answers waiting in the
 * socket. Up to {@link #STALL_RETRIES} such timeouts are excused per lookup, so a TaskManager that
 * keeps stalling still ends each lookup in bounded time.
 */
public final class RedisFanDirectory implements FanDirectory {
    private static final long serialVersionUID = 1L;

    /** Timeouts excused per lookup because the TaskManager stalled during them. */
    static final int STALL_RETRIES = 3;

    private final String uri;
    private final long commandTimeoutMs;
    private final int requestQueueSize;
    private final int retries;

    public RedisFanDirectory(
            String uri, Duration commandTimeout, int requestQueueSize, int retries) {
        this.uri = uri;
        this.commandTimeoutMs = commandTimeout.toMillis();
        this.requestQueueSize = requestQueueSize;
        this.retries = retries;
    }

    @Override
    public Lookup open() {
        return new RedisLookup(StallWatch.acquire(), StallWatch::release);
    }

    /** A lookup that asks {@code stalls} whether this JVM stalled; closes it when closed. */
    Lookup open(StallWatch stalls) {
        return new RedisLookup(stalls, stalls::close);
    }

    private final class RedisLookup implements Lookup {
        private static final long RECONNECT_INTERVAL_MS = 1_000;
        private static final long INITIAL_CONNECT_WAIT_MS = 5_000;

        /**
         * The connection's handshake (Lettuce's {@code HELLO}) is bounded by the URI's timeout, not
         * by the command timeout. It is the new process's first Redis command, and a TaskManager
         * started in place of a killed one runs it cold on cores busy with the restore: at the 500
         * ms command timeout it timed out, and the task started without a connection.
         */
        private static final long MIN_HANDSHAKE_TIMEOUT_MS = 2_000;

        private final RedisClient client;
        private final StallWatch stalls;
        private final Runnable releaseStalls;
        private final AtomicBoolean connecting = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicLong lastAttempt = new AtomicLong();
        private volatile StatefulRedisConnection<String, String> connection;

        RedisLookup(StallWatch stalls, Runnable releaseStalls) {
            this.stalls = stalls;
            this.releaseStalls = releaseStalls;
            client = RedisClient.create();
            client.setOptions(
                    ClientOptions.builder()
                            .autoReconnect(true)
                            .disconnectedBehavior(
                                    ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                            .requestQueueSize(requestQueueSize)
                            .timeoutOptions(
                                    TimeoutOptions.enabled(Duration.ofMillis(commandTimeoutMs)))
                            .build());
            // A task that starts (or restarts after a failure) waits for its connection, trying
            // again when an attempt fails, so a healthy Redis gives every viewer their tier; only a
            // Redis that is really down or slow leaves them 'unknown'. The wait is bounded: it
            // never holds the job longer than INITIAL_CONNECT_WAIT_MS.
            long deadline = System.nanoTime() + INITIAL_CONNECT_WAIT_MS * 1_000_000;
            while (connection == null && System.nanoTime() < deadline) {
                connectInBackground();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }

        private void connectInBackground() {
            long now = System.currentTimeMillis();
            if (connection != null
                    || now - lastAttempt.get() < RECONNECT_INTERVAL_MS
                    || !connecting.compareAndSet(false, true)) {
                return;
            }
            lastAttempt.set(now);
            RedisURI redisUri = RedisURI.create(uri);
            redisUri.setTimeout(
                    Duration.ofMillis(Math.max(commandTimeoutMs, MIN_HANDSHAKE_TIMEOUT_MS)));
            client.connectAsync(StringCodec.UTF8, redisUri)
                    .whenComplete(
                            (c, error) -> {
                                if (error == null) {
                                    connection = c;
                                }
                                connecting.set(false);
                            });
        }

        @Override
        public CompletableFuture<FanProfile> lookup(String room, String user) {
            return lookup(room, user, retries, STALL_RETRIES);
        }

        private CompletableFuture<FanProfile> lookup(
                String room, String user, int retriesLeft, int stallRetriesLeft) {
            StatefulRedisConnection<String, String> c = connection;
            if (c == null) {
                connectInBackground();
                return CompletableFuture.failedFuture(
                        new IllegalStateException("not connected to Redis at " + uri));
            }
            long sentAt = stalls.now();
            return c.async()
                    .hgetall(FanProfile.redisKey(room, user))
                    .toCompletableFuture()
                    .thenApply(
                            hash ->
                                    hash == null || hash.isEmpty()
                                            ? null
                                            : FanProfile.fromHash(room, user, hash))
                    .exceptionallyCompose(
                            error -> {
                                if (!timedOut(error)) {
                                    return CompletableFuture.failedFuture(error);
                                }
                                if (stallRetriesLeft > 0 && stalls.stalledSince(sentAt)) {
                                    return lookup(room, user, retriesLeft, stallRetriesLeft - 1);
                                }
                                return retriesLeft > 0
                                        ? lookup(room, user, retriesLeft - 1, stallRetriesLeft)
                                        : CompletableFuture.failedFuture(error);
                            });
        }

        private static boolean timedOut(Throwable error) {
            return FanDirectory.failureOf(error) instanceof RedisCommandTimeoutException;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            releaseStalls.run();
            StatefulRedisConnection<String, String> c = connection;
            if (c != null) {
                c.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
