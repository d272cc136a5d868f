package io.livepulse.jobs.ingest;

import io.livepulse.jobs.records.Ingested;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes in the Kafka source, so the watermark strategy on the source can read event time and each
 * partition gets its own watermark. Never throws: a bad record becomes a dead letter with its
 * topic, partition and offset.
 */
public final class KafkaIngestDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
    private static final long serialVersionUID = 1L;

    private final RecordDecoder decoder;

    public KafkaIngestDeserializer(RecordDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        out.collect(decoder.decode(value, record.topic(), record.partition(), record.offset()));
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return TypeInformation.of(Ingested.class);
    }
}
