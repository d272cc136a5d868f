package io.livepulse.jobs.viewer;

import io.livepulse.jobs.records.SharedStrings;
import io.livepulse.jobs.records.ViewerHash;

/**
 * Stage 1's key, one viewer of one room, as one small object: the room, and the viewer's 128-bit
 * hash ({@link ViewerHash}, as the enrichment's cache knows them). Until change 54
 * (docs/benchmarks.md) the key was the string {@code room + '\0' + user}, a {@code String} and its
 * bytes: two of a viewer's five and a half objects on the heap, about 70 of the 467 MiB of live
 * objects at a million viewers, visited by every checkpoint and every marking of the collector.
 * This is one object of 40 bytes whose room is the subtask's shared copy.
 *
 * <p>Two users of a room are one viewer only if both their hashes collide: among a million viewers
 * about one chance in 2<sup>89</sup>.
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

    /** The viewer's 128-bit hash: {@link ViewerHash#first} and {@link ViewerHash#second}. */
    private final long first;

    private final long second;

    /** A key as a checkpoint holds it ({@code ViewerKeySerializer}). */
    public ViewerKey(String room, int hash, long first, long second) {
        if (room == null) {
            throw new IllegalArgumentException("a viewer key needs a room");
        }
        this.room = room;
        this.hash = hash;
        this.first = first;
        this.second = second;
    }

    /** The key of {@code user} in {@code room}. */
    public static ViewerKey of(String room, String user) {
        // String.hashCode of room + '\0' + user, without making that string
        int h = room.hashCode() * 31 + SEPARATOR;
        for (int i = 0; i < user.length(); i++) {
            h = 31 * h + user.charAt(i);
        }
        ViewerHash viewer = ViewerHash.of(room, user);
        return new ViewerKey(room, h, viewer.first(), viewer.second());
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

    public String room() {
        return room;
    }

    public int hash() {
        return hash;
    }

    public long first() {
        return first;
    }

    public long second() {
        return second;
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
                && first == k.first
                && second == k.second
                && room.equals(k.room);
    }

    @Override
    public String toString() {
        return room + "/viewer#" + Long.toHexString(first) + Long.toHexString(second);
    }
}
