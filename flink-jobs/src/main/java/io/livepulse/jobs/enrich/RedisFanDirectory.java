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
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fan profiles from Redis through Lettuce's async API. Built never to stall the job: every lookup
 * ends in bounded time, the request queue is bounded, commands are rejected at once while
 * disconnected, and a Redis that is down at start is retried in the background instead of failing
 * the task.
 *
 * <p>A lookup fails when Redis has stayed silent for {@code retries + 1} command timeouts while it
 * waited; until then it keeps waiting for its answer. Redis answers a connection's commands in
 * order, so while it keeps sending on the connection (bytes read, answers decoded) the lookup's
 * answer is on its way, queued behind others, and sending the command again would only queue it
 * once more behind itself. A window in which this TaskManager itself stalled (a long GC, a {@code
 * SIGSTOP}, two busy cores; see {@link StallWatch}) says nothing about Redis and is not counted
 * either. A Redis that is frozen or cut off sends nothing, and the lookup fails after {@code
 * (retries + 1)} timeouts of silence, its viewer counted under {@code unknown} for the broadcast.
 *
 * <p>Why: a lookup that failed with Redis answering froze its viewer as {@code unknown}, and the
 * fault suite kept seeing it after TaskManager kills (docs/reliability.md). A TaskManager started
 * in place of a killed one replays the backlog with its profile cache empty: hundreds of lookups in
 * flight per task, their answers decoded by a cold JVM on two busy cores. Sending a timed-out
 * command again put it at the back of that queue, and its first answer was decoded anyway, so the
 * queue grew as it timed out; and one read of a few hundred answers, decoded for longer than a
 * timeout, left a window with no bytes read while the answers were being handed over. Lettuce's own
 * timeout is now only the longest a command may live ({@code longestWait}, below the enrichment's
 * backstop, so the directory answers first and names Redis).
 */
public final class RedisFanDirectory implements FanDirectory {
    private static final long serialVersionUID = 1L;

    private final String uri;
    private final long commandTimeoutMs;
    private final int requestQueueSize;
    private final int retries;
    private final long longestWaitMs;

    /**
     * @param commandTimeout a window of Redis's silence that counts against a lookup
     * @param retries windows of silence a lookup outlasts; it fails in the next one
     * @param longestWait Lettuce's own timeout: the longest a command lives, whatever Redis does
     */
    public RedisFanDirectory(
            String uri,
            Duration commandTimeout,
            int requestQueueSize,
            int retries,
            Duration longestWait) {
        if (longestWait.compareTo(commandTimeout.multipliedBy(retries + 1)) <= 0) {
            throw new IllegalArgumentException(
                    "the longest wait ("
                            + longestWait
                            + ") must be above the command timeout times (retries + 1): "
                            + commandTimeout.multipliedBy(retries + 1));
        }
        this.uri = uri;
        this.commandTimeoutMs = commandTimeout.toMillis();
        this.requestQueueSize = requestQueueSize;
        this.retries = retries;
        this.longestWaitMs = longestWait.toMillis();
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

        /** When (on the watch's clock) an answer on this connection was last decoded. */
        private final AtomicLong lastAnswer;

        private final Runnable releaseStalls;
        private final AtomicBoolean connecting = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicLong lastAttempt = new AtomicLong();
        private volatile StatefulRedisConnection<String, String> connection;

        RedisLookup(StallWatch stalls, Runnable releaseStalls) {
            this.stalls = stalls;
            this.releaseStalls = releaseStalls;
            lastRead = new AtomicLong(stalls.now());
            lastAnswer = new AtomicLong(stalls.now());
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
                                    TimeoutOptions.enabled(Duration.ofMillis(longestWaitMs)))
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
            StatefulRedisConnection<String, String> c = connection;
            if (c == null) {
                connectInBackground();
                return CompletableFuture.failedFuture(
                        new IllegalStateException("not connected to Redis at " + uri));
            }
            CompletableFuture<Map<String, String>> command =
                    c.async().hgetall(FanProfile.redisKey(room, user)).toCompletableFuture();
            new SilenceWatch(command, stalls.now()).start();
            return command.thenApply(
                    hash -> {
                        lastAnswer.set(stalls.now());
                        return hash == null || hash.isEmpty()
                                ? null
                                : FanProfile.fromHash(room, user, hash);
                    });
        }

        /**
         * Whether Redis was heard from on this connection after {@code since} (a reading of the
         * watch's clock), or this TaskManager stalled meanwhile, which leaves the question open.
         */
        private boolean heardFromSince(long since) {
            return stalls.stalledSince(since)
                    || lastRead.get() - since > 0
                    || lastAnswer.get() - since > 0;
        }

        /**
         * Fails one command once Redis has been silent for {@code retries + 1} of its windows
         * (class comment). It runs on Lettuce's timer thread, one window at a time.
         */
        private final class SilenceWatch implements TimerTask {
            private final CompletableFuture<?> command;
            private final long sentAt;
            private long windowStart;
            private int silentWindows;

            SilenceWatch(CompletableFuture<?> command, long sentAt) {
                this.command = command;
                this.sentAt = sentAt;
                this.windowStart = sentAt;
            }

            void start() {
                resources.timer().newTimeout(this, commandTimeoutMs, TimeUnit.MILLISECONDS);
            }

            @Override
            public void run(Timeout timeout) {
                if (command.isDone() || closed.get()) {
                    return;
                }
                long now = stalls.now();
                if (!heardFromSince(windowStart) && ++silentWindows > retries) {
                    command.completeExceptionally(
                            new RedisCommandTimeoutException(
                                    "HGETALL waited "
                                            + (now - sentAt) / 1_000_000
                                            + " ms, and Redis sent nothing on the connection in "
                                            + silentWindows
                                            + " window(s) of "
                                            + commandTimeoutMs
                                            + " ms of it, with this TaskManager running"));
                    return;
                }
                windowStart = now;
                start();
            }
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
