package io.trailhound.detect.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.trailhound.avro.ChainLink;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.detect.lineage.ChainCodec;
import io.trailhound.detect.lineage.CredentialLineage;
import io.trailhound.detect.lineage.MintedCredential;
import io.trailhound.detect.rules.EventView;

/**
 * Publishes the chain of every temporary key minted by AssumeRole*, GetSessionToken or GetFederationToken (access key id →
 * chain JSON), and of console and federated sign-in sessions by session ARN (a SwitchRole, a SAML or federation sign-in; #18),
 * to the lineage topic that feeds the global lineage store, keeps it in the task's {@value #MINTED_STORE} (the detect processor
 * of the same task reads it there at once), and tombstones it once the credentials have expired.
 */
final class LineageProcessor implements Processor<String, CloudTrailEvent, String, String>, EventClock.Owner {

    static final String MINTED_STORE = "minted-keys-store";
    private static final String SWITCH_ROLE = "SwitchRole";
    private static final String MINTED_AT_FIELD = "\"mintedAt\":";

    private ProcessorContext<String, String> context;
    private KeyValueStore<String, String> minted;
    private CredentialLineage lineage;
    /**
     * Chains expire on this clock ({@link EventClock}): on stream time a backlog's chains were dropped while its later events
     * still needed them.
     */
    private EventClock clock = new EventClock();

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.minted = context.getStateStore(MINTED_STORE);
        this.lineage = new CredentialLineage(minted, context.getStateStore(DetectionTopology.LINEAGE_STORE));
        this.clock = new EventClock();
        // every 6 h of event time: an expired chain is already ignored where it is read (CredentialLineage checks mintedAt),
        // so this only bounds the store and the compacted topic, and each pass reads every minted key
        clock.every(Duration.ofHours(6), this::expire);
    }

    @Override
    public void process(Record<String, CloudTrailEvent> record) {
        clock.observe(record.value().getEventTime().toEpochMilli());
        publishChains(record);
        clock.runDue();
    }

    private void publishChains(Record<String, CloudTrailEvent> record) {
        EventView view = new EventView(record.value());
        Optional<MintedCredential> credential = MintedCredential.of(view);
        if (credential.isPresent()) {
            List<ChainLink> chain = lineage.extend(record.value(), credential.get());
            publish(credential.get().accessKeyId(), chain);
            if (credential.get().sessionArn() != null) {
                publish(CredentialLineage.SESSION_PREFIX + credential.get().sessionArn(), chain);
            }
            return;
        }
        // only a SwitchRole opens a session chain: other events need not have their additionalEventData read for it
        if (SWITCH_ROLE.equals(record.value().getEventName())) {
            lineage.switched(view).ifPresent(chain ->
                    publish(CredentialLineage.SESSION_PREFIX + record.value().getPrincipal().getSessionArn(), chain));
        }
    }

    @Override
    public EventClock eventClock() {
        return clock;
    }

    private void publish(String key, List<ChainLink> chain) {
        String json = ChainCodec.write(chain);
        minted.put(key, json);
        // wall-clock timestamp: the topic's 2-day retention must count from now, not from an event time that a replay or a
        // late trail delivery puts in the past (the chain's freshness is judged on its mintedAt, not on this timestamp)
        context.forward(new Record<>(key, json, context.currentSystemTimeMs()));
    }

    /**
     * When the last link of a stored chain was minted (epoch millis), or null when it was not: read from the tail that
     * {@link ChainCodec#write} gives such a chain ({@code ..."mintedAt":<millis>}]}), else from the whole chain.
     */
    static Long lastMintedAt(String json) {
        int end = json.length() - 2;
        if (end > 0 && json.charAt(end) == '}' && json.charAt(end + 1) == ']') {
            int start = end;
            while (start > 0 && json.charAt(start - 1) >= '0' && json.charAt(start - 1) <= '9') {
                start--;
            }
            if (start < end && end - start <= 18 && json.startsWith(MINTED_AT_FIELD, start - MINTED_AT_FIELD.length())) {
                return Long.parseLong(json, start, end, 10);
            }
        }
        List<ChainLink> chain = ChainCodec.read(json);
        Instant mintedAt = chain.get(chain.size() - 1).getMintedAt();
        return mintedAt == null ? null : mintedAt.toEpochMilli();
    }

    /** Drops the chains expired on the {@link #clock} at {@code now}. */
    private void expire(long now) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> it = minted.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                Long mintedAt = lastMintedAt(kv.value);
                if (mintedAt == null || now - mintedAt > CredentialLineage.MAX_CREDENTIAL_LIFETIME.toMillis()) {
                    expired.add(kv.key);
                }
            }
        }
        for (String keyId : expired) {
            minted.delete(keyId);
            context.forward(new Record<String, String>(keyId, null, context.currentSystemTimeMs()));
        }
    }
}
