package io.livepulse.jobs.records.serde;

import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type information of a record class with its own serializer: what a {@code @TypeInfo} factory
 * on the class returns, so that every {@code TypeInformation.of(...)} of the job (state
 * descriptors, side outputs, network edges) picks that serializer; or of a key with its own
 * serializer ({@link ViewerKeySerializer#TYPE}).
 */
public final class RecordTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final TypeSerializer<T> serializer;
    private final boolean keyType;

    /**
     * @param serializer a stateless serializer, shared by every task
     */
    public RecordTypeInfo(Class<T> type, TypeSerializer<T> serializer) {
        this(type, serializer, false);
    }

    /**
     * @param keyType whether streams may be keyed by it: its values have an {@code equals} and a
     *     {@code hashCode} that are the same in every JVM
     */
    RecordTypeInfo(Class<T> type, TypeSerializer<T> serializer, boolean keyType) {
        this.type = type;
        this.serializer = serializer;
        this.keyType = keyType;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return keyType;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer;
    }

    @Override
    public String toString() {
        return type.getSimpleName() + " (own serializer)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordTypeInfo<?> other
                && other.type.equals(type)
                && other.serializer.getClass().equals(serializer.getClass());
    }

    @Override
    public int hashCode() {
        return Objects.hash(RecordTypeInfo.class, type, serializer.getClass());
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof RecordTypeInfo;
    }
}
