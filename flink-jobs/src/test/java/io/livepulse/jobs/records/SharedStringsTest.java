package io.livepulse.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedStringsTest {
    @Test
    void equalStringsComeBackAsTheFirstCopyAndNullStaysNull() {
        SharedStrings shared = new SharedStrings(10);
        String first = new String("room-1");
        String second = new String("room-1");

        assertThat(shared.of(first)).isSameAs(first);
        assertThat(shared.of(second)).isSameAs(first);
        assertThat(shared.of(new String("room-2"))).isEqualTo("room-2").isNotSameAs(first);
        assertThat(shared.of(null)).isNull();
    }

    @Test
    void atItsLimitItStartsAfreshAndStillAnswersEqualStrings() {
        SharedStrings shared = new SharedStrings(2);
        String a = new String("a");
        shared.of(a);
        shared.of("b");
        String c = new String("c"); // the third: the two before are forgotten

        assertThat(shared.of(c)).isSameAs(c);
        String anotherA = new String("a");
        assertThat(shared.of(anotherA)).as("kept afresh").isSameAs(anotherA).isEqualTo(a);
    }
}
