package io.trailhound.detect.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.detect.lineage.ChainCodec;
import io.trailhound.detect.lineage.CredentialLineage;
import io.trailhound.detect.lineage.MintedCredential;
import io.trailhound.detect.rules.EventView;

/**
 * Publishes the chain of every temporary key minted by AssumeRole*, GetSessionToken or GetFederationToken (access key id →
 * chain JSON) to the lineage topic that feeds the global lineage store, and tombstones it once the credentials have expired.
 */
final class LineageProcessor implements Processor<String, CloudTrailEvent, String, String> {

    static final String MINTED_STORE = "minted-keys-store";

    private ProcessorContext<String, String> context;
    private KeyValueStore<String, Long> minted;
    private CredentialLineage lineage;

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.minted = context.getStateStore(MINTED_STORE);
        this.lineage = new CredentialLineage(context.getStateStore(DetectionTopology.LINEAGE_STORE));
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(Record<String, CloudTrailEvent> record) {
        Optional<MintedCredential> credential = MintedCredential.of(new EventView(record.value()));
        if (credential.isEmpty()) {
            return;
        }
        String keyId = credential.get().accessKeyId();
        minted.put(keyId, record.timestamp());
        context.forward(new Record<>(keyId, ChainCodec.write(lineage.extend(record.value(), credential.get())), record.timestamp()));
    }

    private void expire(long streamTime) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = minted.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (streamTime - kv.value > CredentialLineage.MAX_CREDENTIAL_LIFETIME.toMillis()) {
                    expired.add(kv.key);
                }
            }
        }
        for (String keyId : expired) {
            minted.delete(keyId);
            context.forward(new Record<String, String>(keyId, null, streamTime));
        }
    }
}
