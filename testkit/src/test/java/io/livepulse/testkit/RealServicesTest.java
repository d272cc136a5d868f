package io.livepulse.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The test kit's servers are real: each one is used through its ordinary client. */
class RealServicesTest {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();
    @RegisterExtension static final RedisServer REDIS = new RedisServer();
    @RegisterExtension static final InfluxServer INFLUX = new InfluxServer();

    @Test
    void kafkaRecordsRoundTrip() {
        KAFKA.createTopic("kit-check", 2);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KAFKA.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new StringSerializer())) {
            producer.send(new ProducerRecord<>("kit-check", "room-1", "hello"));
            producer.send(new ProducerRecord<>("kit-check", "room-2", "world"));
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KAFKA.bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "kit-check",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of("kit-check"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        assertThat(values).containsExactlyInAnyOrder("hello", "world");
        assertThat(KAFKA.bootstrapServers()).matches("localhost:\\d+"); // loopback only
    }

    @Test
    void redisAnswersLettuce() {
        RedisClient client = RedisClient.create(REDIS.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().hset("fan:r1:u1", Map.of("tier", "true_love"));
            assertThat(connection.sync().hgetall("fan:r1:u1")).containsEntry("tier", "true_love");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void influxStoresAPointAndInfluxQlReadsItBack() {
        try (InfluxDB influx = InfluxDBFactory.connect(INFLUX.url())) {
            influx.query(new Query("CREATE DATABASE kit_check"));
            influx.write(
                    "kit_check",
                    "autogen",
                    Point.measurement("room")
                            .tag("room", "r1")
                            .time(1_700_000_000_000L, TimeUnit.MILLISECONDS)
                            .addField("online", 42L)
                            .addField("gmv_cents", 199_00L)
                            .build());

            QueryResult result =
                    influx.query(
                            new Query(
                                    "SELECT online, gmv_cents FROM room WHERE room = 'r1'",
                                    "kit_check"),
                            TimeUnit.MILLISECONDS);

            assertThat(result.getError()).isNull();
            QueryResult.Series series = result.getResults().get(0).getSeries().get(0);
            assertThat(series.getColumns()).containsExactly("time", "online", "gmv_cents");
            List<Object> row = series.getValues().get(0);
            assertThat(((Number) row.get(0)).longValue()).isEqualTo(1_700_000_000_000L);
            assertThat(((Number) row.get(1)).longValue()).isEqualTo(42L);
            assertThat(((Number) row.get(2)).longValue()).isEqualTo(19_900L);
        }
    }

    @Test
    void aMissingBinarySaysWhatToInstall() {
        assertThatThrownBy(
                        () -> ExternalProcess.findBinary("no-such-server-xyz", "no-such-package"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scripts/install-deps.sh")
                .hasMessageContaining("apt-get install no-such-package");
    }
}
