package io.livepulse.jobs.enrich;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.livepulse.fans.FanProfile;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fan profiles from Redis through Lettuce's async API. Built never to stall the job: every command
 * has a timeout (set below the enrichment's backstop, enrich.async-timeout), the request queue is
 * bounded, commands are rejected at once while disconnected, and a Redis that is down at start is
 * retried in the background instead of failing the task.
 *
 * <p>A command that timed out is sent again ({@code retries} times): without a retry a viewer whose
 * first lookup failed would be frozen as {@code unknown} for the whole broadcast (the fault suite
 * saw it after a restart, docs/reliability.md). A Redis that is really stopped costs each lookup
 * {@code retries + 1} timeouts before the fallback.
 *
 * <p>Only a timeout that says something about Redis is counted against those retries. One is
 * excused, and the lookup sent again, when this TaskManager itself stalled meanwhile (a long GC, a
 * {@code SIGSTOP}, two busy cores; see {@link StallWatch}: every command in flight times out at
 * once when the process wakes, with their answers waiting in the socket), or when Redis sent bytes
 * on the connection while the command waited: Redis answers a connection's commands in order, so it
 * was alive and the command was queued behind others. A TaskManager restarted after a kill, cold,
 * replaying its backlog with the profile cache empty, queues hundreds of lookups at once and
 * decodes their answers slowly; with only the stall excused, some timed out three times with Redis
 * answering all along, and their viewers were counted under {@code unknown} for the broadcast
 * (docs/reliability.md). Up to {@link #EXCUSED_RETRIES} timeouts are excused per lookup, so each
 * lookup still ends in bounded time; the enrichment's timeout on each lookup is the backstop behind
 * them.
 */
public final class RedisFanDirectory implements FanDirectory {
    private static final long serialVersionUID = 1L;

    /** Timeouts excused per lookup because the TaskManager stalled or Redis answered meanwhile. */
    static final int EXCUSED_RETRIES = 10;

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

        private final ClientResources resources;
        private final RedisClient client;
        private final StallWatch stalls;

        /** When (on the watch's clock) Redis last sent bytes on this lookup's connection. */
        private final AtomicLong lastRead;

        private final Runnable releaseStalls;
        private final AtomicBoolean connecting = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicLong lastAttempt = new AtomicLong();
        private volatile StatefulRedisConnection<String, String> connection;

        RedisLookup(StallWatch stalls, Runnable releaseStalls) {
            this.stalls = stalls;
            this.releaseStalls = releaseStalls;
            lastRead = new AtomicLong(stalls.now());
            resources =
                    DefaultClientResources.builder()
                            .nettyCustomizer(
                                    new NettyCustomizer() {
                                        @Override
                                        public void afterChannelInitialized(Channel channel) {
                                            channel.pipeline().addFirst(new ReadClock());
                                        }
                                    })
                            .build();
            client = RedisClient.create(resources);
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

        /** Notes each read from Redis's socket, before Lettuce decodes it. */
        private final class ReadClock extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                lastRead.set(stalls.now());
                ctx.fireChannelRead(msg);
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
            return lookup(room, user, retries, EXCUSED_RETRIES);
        }

        private CompletableFuture<FanProfile> lookup(
                String room, String user, int retriesLeft, int excusedLeft) {
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
                                if (excusedLeft > 0 && excused(sentAt)) {
                                    return lookup(room, user, retriesLeft, excusedLeft - 1);
                                }
                                return retriesLeft > 0
                                        ? lookup(room, user, retriesLeft - 1, excusedLeft)
                                        : CompletableFuture.failedFuture(error);
                            });
        }

        /**
         * Whether a timeout of a command sent at {@code sentAt} says nothing about Redis: this JVM
         * stalled meanwhile, or Redis sent bytes on the connection after it (class comment).
         */
        private boolean excused(long sentAt) {
            return stalls.stalledSince(sentAt) || lastRead.get() - sentAt > 0;
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
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
