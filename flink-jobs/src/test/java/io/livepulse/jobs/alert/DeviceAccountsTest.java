package io.livepulse.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceAccountsTest {
    static DeviceAccounts pairs(String... deviceThenAccount) {
        DeviceAccounts d = new DeviceAccounts();
        for (int i = 0; i < deviceThenAccount.length; i += 2) {
            d.add(deviceThenAccount[i], deviceThenAccount[i + 1]);
        }
        return d;
    }

    @Test
    void aPairIsItsBytesAndACopySharesNothing() {
        DeviceAccounts d = pairs("设备", "用户", "d2", "u2");
        DeviceAccounts copy = d.copy();
        d.add("d3", "u3");

        assertThat(copy).hasToString("[设备→用户, d2→u2]");
        assertThat(copy.size()).isEqualTo(2);
        assertThat(d.device(0)).isEqualTo("设备");
        assertThat(d).isNotEqualTo(copy).hasToString("[设备→用户, d2→u2, d3→u3]");
        assertThat(pairs("设备", "用户", "d2", "u2")).isEqualTo(copy);
    }

    @Test
    void manyPairsGrowTheArraysAndKeepEveryOne() {
        DeviceAccounts d = new DeviceAccounts();
        for (int i = 0; i < 1_000; i++) {
            d.add("device-" + i % 10, "user-" + i);
        }

        assertThat(d.size()).isEqualTo(1_000);
        assertThat(d.device(999)).isEqualTo("device-9");
        assertThat(d.pairHash(999)).isNotEqualTo(d.pairHash(989));
        assertThat(d.deviceHash(999)).isEqualTo(d.deviceHash(989));
    }
}
