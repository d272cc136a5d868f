package io.livepulse.jobs.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepulse.jobs.records.Hash64;
import org.junit.jupiter.api.Test;

class GiftCombosTest {

    @Test
    void eachComboIsFoundByItsHashNextToItsValue() {
        long first = Hash64.of("live-1-combo-1");
        long second = Hash64.of("live-1-combo-2");
        assertThat(GiftCombos.valueIndex(null, first)).as("no combos yet").isEqualTo(-1);

        long[] combos = GiftCombos.add(null, first, 100);
        long[] more = GiftCombos.add(combos, second, 40);

        assertThat(more).containsExactly(first, 100, second, 40);
        assertThat(combos).as("the array before is left as it was").containsExactly(first, 100);
        assertThat(GiftCombos.valueIndex(more, first)).isEqualTo(1);
        assertThat(GiftCombos.valueIndex(more, second)).isEqualTo(3);
        assertThat(GiftCombos.valueIndex(more, Hash64.of("live-1-combo-3"))).isEqualTo(-1);
        assertThat(GiftCombos.valueIndex(more, 100))
                .as("a value is never taken for a hash")
                .isEqualTo(-1);
    }
}
