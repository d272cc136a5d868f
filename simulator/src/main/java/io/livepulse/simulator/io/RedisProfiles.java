package io.livepulse.simulator.io;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.livepulse.fans.FanProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Loads fan profiles into Redis, each key replaced whole: the hash is written under a staging key
 * and renamed over the live key, so a reader sees the old profile or the new one, never a mix.
 * Commands are pipelined in batches.
 */
public final class RedisProfiles {
    private static final int BATCH = 1_000;
    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(30);

    private RedisProfiles() {}

    public static void load(String redisUri, List<FanProfile> profiles, LongConsumer loaded) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<?>> pending = new ArrayList<>(BATCH * 2);
            long done = 0;
            for (FanProfile p : profiles) {
                String key = p.redisKey();
                String staging = key + ":loading";
                pending.add(redis.del(staging));
                pending.add(redis.hset(staging, p.toHash()));
                pending.add(redis.rename(staging, key));
                done++;
                if (pending.size() >= BATCH * 3) {
                    flush(connection, pending);
                    loaded.accept(done);
                }
            }
            flush(connection, pending);
            loaded.accept(done);
        } finally {
            client.shutdown();
        }
    }

    private static void flush(
            StatefulRedisConnection<String, String> connection, List<RedisFuture<?>> pending) {
        connection.flushCommands();
        boolean done =
                LettuceFutures.awaitAll(BATCH_TIMEOUT, pending.toArray(new RedisFuture<?>[0]));
        if (!done) {
            throw new IllegalStateException("Redis did not answer a batch within " + BATCH_TIMEOUT);
        }
        for (RedisFuture<?> f : pending) {
            if (f.getError() != null) {
                throw new IllegalStateException("Redis rejected a profile write: " + f.getError());
            }
        }
        pending.clear();
    }
}
