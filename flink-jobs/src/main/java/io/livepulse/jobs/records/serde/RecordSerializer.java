package io.livepulse.jobs.records.serde;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the job's own serializers have in common: values of variable length, mutable records but for
 * the keys, written into a stream in one block.
 */
abstract class RecordSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    /**
     * Where a record bound for a stream is written first, one buffer per thread (the task's, and
     * the one writing a checkpoint). A checkpoint's stream wrapper passes each byte of a {@code
     * writeInt} or {@code writeLong} down its streams on its own, and those per-byte calls were
     * among the top of the job's profile (docs/benchmarks.md, change 19).
     */
    private static final ThreadLocal<DataOutputSerializer> STAGING =
            ThreadLocal.withInitial(() -> new DataOutputSerializer(256));

    private static final int MAX_KEPT_STAGING = 1 << 20;

    /**
     * Writes the record's fields ({@link #serialize} decides where to): the byte layout of the
     * checkpoint format (package-info).
     */
    protected abstract void write(T record, DataOutputView out) throws IOException;

    /**
     * Writes into the target directly when it is an array already (network buffers, or the staging
     * buffer of an enclosing record); otherwise into the staging buffer and then in one block: the
     * same bytes either way.
     */
    @Override
    public final void serialize(T record, DataOutputView out) throws IOException {
        if (out instanceof DataOutputSerializer) {
            write(record, out);
            return;
        }
        DataOutputSerializer staging = STAGING.get();
        staging.clear();
        write(record, staging);
        out.write(staging.getSharedBuffer(), 0, staging.length());
        if (staging.getSharedBuffer().length > MAX_KEPT_STAGING) {
            STAGING.remove(); // a record of megabytes leaves no buffer of that size behind
        }
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }
}
