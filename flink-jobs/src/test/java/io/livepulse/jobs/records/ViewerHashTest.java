package io.livepulse.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ViewerHashTest {
    /**
     * Stage 1's keys hold these hashes in checkpoints since change 54: the values of the code of
     * then (two passes, one per hash), pinned so that no change of the arithmetic goes unseen.
     */
    @Test
    void theHashesAreThoseCheckpointsHold() {
        assertThat(ViewerHash.of("bench-room-00042", "u0001234"))
                .isEqualTo(new ViewerHash(0x403ac5ee1922e91aL, 0xe3179a9b9b834bf9L));
        assertThat(ViewerHash.of("\u76f4\u64ad\u95f4-7", "\u7c89\u4e1d")) // 直播间-7, 粉丝
                .isEqualTo(new ViewerHash(0x844f2f7d8380d19fL, 0x606694e2e53c7a0dL));
        assertThat(ViewerHash.of("", ""))
                .isEqualTo(new ViewerHash(0x00e03c8daa76889eL, 0x2b6b801b24aab5faL));
    }

    @Test
    void theRoomIsPartedFromTheUser() {
        assertThat(ViewerHash.of("ab", "c")).isNotEqualTo(ViewerHash.of("a", "bc"));
        assertThat(ViewerHash.of("room", "")).isNotEqualTo(ViewerHash.of("", "room"));
    }
}
