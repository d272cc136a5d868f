package io.livepulse.jobs.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepulse.jobs.records.SharedStrings;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class ViewerKeyTest {
    @Test
    void theSameViewerIsOneKeyWhateverCopiesOfTheIdsItIsMadeFrom() {
        ViewerKey a = ViewerKey.of("room-7", "user-42");
        ViewerKey b = ViewerKey.of(new String("room-7"), new String("user-42"));

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.room()).isEqualTo("room-7");
        assertThat(a).isNotEqualTo(ViewerKey.of("room-7", "user-43"));
        assertThat(a).isNotEqualTo(ViewerKey.of("room-8", "user-42"));
        assertThat(ViewerKey.of("room-7", "")).isNotEqualTo(ViewerKey.of("room-7", "\u0000"));
    }

    /** The string key's hash: every viewer stays in the key group it had before change 54. */
    @Test
    void itsHashIsTheStringKeysSoEveryViewerKeepsItsKeyGroup() {
        for (String[] ids :
                new String[][] {
                    {"room-7", "user-42"}, {"直播间-1", "用户-é"}, {"", ""}, {"r", "x".repeat(300)}
                }) {
            String stringKey = ids[0] + '\u0000' + ids[1];
            ViewerKey key = ViewerKey.of(ids[0], ids[1]);

            assertThat(key.hashCode()).isEqualTo(stringKey.hashCode());
            assertThat(KeyGroupRangeAssignment.assignToKeyGroup(key, 128))
                    .isEqualTo(KeyGroupRangeAssignment.assignToKeyGroup(stringKey, 128));
            assertThat(ViewerKey.ofStringKey(stringKey)).isEqualTo(key);
        }
    }

    /**
     * A million users of one room, with ids as alike as a platform's (one counter, one length), are
     * a million keys: no two users' 128-bit hashes are the same.
     */
    @Test
    void aMillionUsersOfARoomAreAMillionKeys() {
        Set<ViewerKey> keys = new HashSet<>();
        Set<Long> highs = new HashSet<>();
        for (int i = 0; i < 1_000_000; i++) {
            ViewerKey key = ViewerKey.of("room-1", String.format("u%07d", i));
            keys.add(key);
            highs.add(key.first());
        }
        assertThat(keys).hasSize(1_000_000);
        assertThat(highs).as("each half of the hash tells them apart alone").hasSize(1_000_000);
    }

    @Test
    void aStringKeyWithoutTheSeparatorIsAClearError() {
        assertThatThrownBy(() -> ViewerKey.ofStringKey("room-7/user-42"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("room-7/user-42")
                .hasMessageContaining("no '\\0'");
    }

    @Test
    void aKeyTakesTheSharedCopyOfItsRoomAndStaysEqual() {
        SharedStrings shared = new SharedStrings();
        String room = shared.of("room-7");
        ViewerKey key = ViewerKey.of(new String("room-7"), "user-42");
        ViewerKey before = ViewerKey.of("room-7", "user-42");

        key.shareRoom(shared);

        assertThat(key.room()).isSameAs(room);
        assertThat(key).isEqualTo(before).hasSameHashCodeAs(before);
    }
}
