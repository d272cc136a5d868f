package io.livepulse.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
    void aDeviceIsCrowdedByDistinctAccountsAcrossTheWindowsBuckets() {
        DeviceAccounts first = pairs("phone-1", "a", "phone-1", "b", "family", "mum");
        // a and b again (entered twice), and a third account; the family's second member
        DeviceAccounts second = pairs("phone-1", "a", "phone-1", "b", "phone-1", "c");
        DeviceAccounts third = pairs("family", "dad", "phone-1", "a");

        DeviceAccounts.Crowded crowded = DeviceAccounts.crowded(List.of(first, second, third), 3);

        assertThat(crowded).isEqualTo(new DeviceAccounts.Crowded(1, 3, 3, "phone-1"));
        assertThat(DeviceAccounts.crowded(List.of(first, second, third), 4))
                .as("repeats count once")
                .isNull();
    }

    @Test
    void theBusiestOfSeveralCrowdedDevicesIsNamedAndTheirAccountsAdded() {
        DeviceAccounts bucket =
                pairs(
                        "设备-一", "甲", "设备-一", "乙", "设备-一", "丙", "设备-一", "丁", "p2", "x", "p2", "y",
                        "p2", "z", "alone", "w");

        DeviceAccounts.Crowded crowded = DeviceAccounts.crowded(List.of(bucket), 3);

        assertThat(crowded).isEqualTo(new DeviceAccounts.Crowded(2, 7, 4, "设备-一"));
    }

    @Test
    void noPairsNoCrowd() {
        assertThat(DeviceAccounts.crowded(List.of(), 2)).isNull();
        assertThat(DeviceAccounts.crowded(List.of(new DeviceAccounts()), 1)).isNull();
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
        DeviceAccounts.Crowded crowded = DeviceAccounts.crowded(List.of(d), 100);
        assertThat(crowded.devices()).isEqualTo(10);
        assertThat(crowded.accounts()).isEqualTo(1_000);
        assertThat(crowded.mostAccounts()).isEqualTo(100);
        assertThat(crowded.busiestDevice()).startsWith("device-");
    }
}
