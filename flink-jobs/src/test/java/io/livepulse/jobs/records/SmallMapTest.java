package io.livepulse.jobs.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmallMapTest {

    @Test
    void putsReplaceTheValueOfAKeyAndKeepTheOrderKeysCameIn() {
        SmallMap<Long> m = new SmallMap<>();
        assertThat(m.put("combo-1", 10L)).isNull();
        assertThat(m.put("combo-2", 20L)).isNull();
        assertThat(m.put("combo-3", 30L)).isNull(); // the arrays grow past their first two slots
        assertThat(m.put("combo-1", 15L)).isEqualTo(10L);

        assertThat(m.get("combo-1")).isEqualTo(15L);
        assertThat(m.get(new String("combo-2")))
                .as("equal keys, not the same string")
                .isEqualTo(20L);
        assertThat(m.get("combo-4")).isNull();
        assertThat(m.containsKey("combo-3")).isTrue();
        assertThat(m.size()).isEqualTo(3);
        assertThat(m.keyAt(0)).isEqualTo("combo-1");
        assertThat(m.valueAt(2)).isEqualTo(30L);
        assertThat(m)
                .containsExactly(
                        Map.entry("combo-1", 15L),
                        Map.entry("combo-2", 20L),
                        Map.entry("combo-3", 30L));
    }

    @Test
    void itEqualsAnyMapOfTheSameEntries() {
        SmallMap<String> m = new SmallMap<>();
        m.put("o1", "sku-tea");
        m.put("o2", "sku-cup");
        Map<String, String> other = new LinkedHashMap<>();
        other.put("o2", "sku-cup");
        other.put("o1", "sku-tea");
        assertThat(m).isEqualTo(other);
        assertThat(m.hashCode()).isEqualTo(other.hashCode());
    }

    @Test
    void aCopyHasArraysOfItsOwn() {
        SmallMap<Long> m = new SmallMap<>();
        m.put("combo-1", 10L);
        SmallMap<Long> c = m.copy();
        c.put("combo-1", 11L);
        c.put("combo-2", 20L);
        m.put("combo-3", 30L);
        assertThat(m).containsExactly(Map.entry("combo-1", 10L), Map.entry("combo-3", 30L));
        assertThat(c).containsExactly(Map.entry("combo-1", 11L), Map.entry("combo-2", 20L));
        assertThat(new SmallMap<Long>().copy()).isEmpty();
    }

    @Test
    void aNullKeyIsRefused() {
        assertThatThrownBy(() -> new SmallMap<Long>().put(null, 1L))
                .isInstanceOf(NullPointerException.class);
    }
}
