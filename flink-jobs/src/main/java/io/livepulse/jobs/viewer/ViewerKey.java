package io.livepulse.jobs.viewer;

import io.livepulse.jobs.records.SharedStrings;

/**
 * Stage 1's key, one viewer of one room, as one small object: the room, and the user id as a
 * 128-bit hash. Until change 54 (docs/benchmarks.md) the key was the string {@code room + '\0' +
 * user}, a {@code String} and its bytes: two of a viewer's five and a half objects on the heap,
 * about 70 of the 467 MiB of live objects at a million viewers, visited by every checkpoint and
 * every marking of the collector. This is one object of 40 bytes whose room is the subtask's shared
 * copy.
 *
 * <p>Two users of a room are one viewer only if their ids have the same 128-bit hash: among a
 * million viewers of a room the chance of that is about 1 in 10^27 (the birthday bound). The hash
 * is not cryptographic; user ids are the platform's, not chosen to collide.
 *
 * <p>{@link #hashCode} is the hash of the string key before change 54, so every viewer stays in its
 * key group, and a checkpoint whose keys are those strings restores ({@link #ofStringKey}).
 */
public final class ViewerKey {
    /** The separator of room and user in the string key before change 54. */
    static final char SEPARATOR = '\u0000';

    /**
     * The room. Not final only so that the key a state table keeps can be given the subtask's
     * shared copy of an equal string ({@link #shareRoom}): a key's value never changes.
     */
    private String room;

    /** {@code (room + '\0' + user).hashCode()}: the key group of the string key. */
    private final int hash;

    /** The user id's 128-bit hash. */
    private final long userHigh;

    private final long userLow;

    /** A key as a checkpoint holds it ({@code ViewerKeySerializer}). */
    public ViewerKey(String room, int hash, long userHigh, long userLow) {
        if (room == null) {
            throw new IllegalArgumentException("a viewer key needs a room");
        }
        this.room = room;
        this.hash = hash;
        this.userHigh = userHigh;
        this.userLow = userLow;
    }

    /** The key of {@code user} in {@code room}. */
    public static ViewerKey of(String room, String user) {
        // String.hashCode of room + '\0' + user, without making that string
        int h = room.hashCode() * 31 + SEPARATOR;
        // Two 64-bit lanes over the user's characters, each step a bijection of the lane for a
        // given character (xor, multiply by an odd constant, xor-shift), then a final mix.
        long high = 0x9E3779B97F4A7C15L ^ user.length();
        long low = 0xC2B2AE3D27D4EB4FL + user.length();
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            h = 31 * h + c;
            high = (high ^ c) * 0xFF51AFD7ED558CCDL;
            high ^= high >>> 29;
            low = (low ^ c) * 0xC4CEB9FE1A85EC53L;
            low ^= low >>> 31;
        }
        return new ViewerKey(room, h, mix(high), mix(low ^ high));
    }

    /**
     * The key of a string key of before change 54 ({@code room + '\0' + user}), as a checkpoint of
     * those days holds it.
     */
    public static ViewerKey ofStringKey(String key) {
        int at = key.indexOf(SEPARATOR);
        if (at < 0) {
            throw new IllegalArgumentException(
                    "not a stage-1 key of room and user: '" + key + "' has no '\\0'");
        }
        return of(key.substring(0, at), key.substring(at + 1));
    }

    /** MurmurHash3's 64-bit finalizer: every bit of the lane reaches every bit of the result. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    public String room() {
        return room;
    }

    public int hash() {
        return hash;
    }

    public long userHigh() {
        return userHigh;
    }

    public long userLow() {
        return userLow;
    }

    /** Makes the room the subtask's shared copy: a million keys share a few thousand rooms. */
    public void shareRoom(SharedStrings shared) {
        room = shared.of(room);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ViewerKey k
                && hash == k.hash
                && userHigh == k.userHigh
                && userLow == k.userLow
                && room.equals(k.room);
    }

    @Override
    public String toString() {
        return room + "/user#" + Long.toHexString(userHigh) + Long.toHexString(userLow);
    }
}
