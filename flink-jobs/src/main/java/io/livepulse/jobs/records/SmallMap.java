package io.livepulse.jobs.records;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A map of a few string keys in two short arrays, in the order they were first put: a viewer's
 * orders and gift combos in one broadcast (a handful each). Lookups scan from the newest entry
 * back, where the next message of a combo finds its combo.
 *
 * <p>Why not a {@code HashMap}: each viewer's state is written into every checkpoint, and walking
 * those maps' tables (16 slots for one entry, each entry an object of its own) was 23% of the
 * checkpoint's asynchronous thread in K46's profile, writing them 21% more; a copy for
 * copy-on-write was a new table as well. Here a write is a walk over two arrays and a copy is two
 * array copies. (The walk left the profile, but the checkpoint was no shorter: its thread waits on
 * memory, the first read of each viewer's objects; docs/benchmarks.md, change 53.) A viewer with
 * hundreds of combos would make each lookup a scan of hundreds of keys: no broadcast the project
 * has seen comes near.
 *
 * <p>A {@link java.util.Map} for reading (equality, tests); {@link #put} and {@link #get} are its
 * own, and removal is not supported.
 */
public final class SmallMap<V> extends AbstractMap<String, V> {
    private static final String[] NO_KEYS = new String[0];
    private static final Object[] NO_VALUES = new Object[0];

    private String[] keys;
    private Object[] values;
    private int size;

    public SmallMap() {
        this(0);
    }

    /** A map with room for {@code capacity} entries before its arrays grow. */
    public SmallMap(int capacity) {
        keys = capacity == 0 ? NO_KEYS : new String[capacity];
        values = capacity == 0 ? NO_VALUES : new Object[capacity];
    }

    @Override
    public int size() {
        return size;
    }

    /** The key of the {@code i}-th entry, in the order the keys were first put. */
    public String keyAt(int i) {
        return keys[i];
    }

    /** The value of the {@code i}-th entry. */
    @SuppressWarnings("unchecked")
    public V valueAt(int i) {
        return (V) values[i];
    }

    private int indexOf(Object key) {
        for (int i = size - 1; i >= 0; i--) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : (V) values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    /** Sets the value of {@code key}, a new entry at the end if it has none; keys are not null. */
    @Override
    public V put(String key, V value) {
        int i = indexOf(key);
        if (i >= 0) {
            V before = valueAt(i);
            values[i] = value;
            return before;
        }
        append(key, value);
        return null;
    }

    /** Adds an entry whose key the map does not hold, without looking: for reading a checkpoint. */
    public void append(String key, V value) {
        if (key == null) {
            throw new NullPointerException("a SmallMap's keys are not null");
        }
        if (size == keys.length) {
            int capacity = Math.max(2, size * 2);
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        keys[size] = key;
        values[size] = value;
        size++;
    }

    /** A copy with arrays of its own, just large enough (for copy-on-write state). */
    public SmallMap<V> copy() {
        SmallMap<V> c = new SmallMap<>(size);
        System.arraycopy(keys, 0, c.keys, 0, size);
        System.arraycopy(values, 0, c.values, 0, size);
        c.size = size;
        return c;
    }

    @Override
    public Set<Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, V> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], valueAt(i));
                    }
                };
            }
        };
    }
}
