package io.livepulse.jobs.enrich;

import io.livepulse.fans.FanProfile;
import java.io.Serializable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Where fan profiles come from. The directory itself is configuration (serializable, shipped with
 * the job); each parallel task opens its own {@link Lookup}.
 */
public interface FanDirectory extends Serializable {

    Lookup open();

    /** Why a lookup failed: the error itself, not the {@link CompletionException} around it. */
    static Throwable failureOf(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
    }

    /** An open connection to the directory. */
    interface Lookup extends AutoCloseable {
        /**
         * The profile of (room, user); completes with {@code null} for a non-fan, exceptionally
         * when the directory cannot answer. Must not block. A new future each call: the caller
         * completes it itself when it waits too long ({@code orTimeout}).
         */
        CompletableFuture<FanProfile> lookup(String room, String user);

        @Override
        void close();
    }
}
