package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.detect.lineage.CredentialLineage;
import io.trailhound.serde.TrustedAvroClasses;

/** The minted-keys store expires chains on the events' own clock, not on a stream time of append times running ahead. */
class LineageProcessorTest {

    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    @BeforeAll
    static void trustOurAvroClasses() {
        TrustedAvroClasses.install();
    }

    @Test
    void shouldKeepABacklogsChainsUntilItsOwnEventsAreOlderThanACredentialsLifetime() {
        MockProcessorContext<String, String> context = new MockProcessorContext<>();
        KeyValueStore<String, String> minted = store(LineageProcessor.MINTED_STORE, context);
        store(DetectionTopology.LINEAGE_STORE, context);
        context.setCurrentSystemTimeMs(T0.plus(Duration.ofDays(3)).toEpochMilli());
        LineageProcessor lineage = new LineageProcessor();
        lineage.init(context);

        // a trail backlog read three days late: the task's stream time (append times) is three days ahead of these events
        lineage.process(record(assumeRole("ASIABACKLOG", T0)));
        lineage.process(record(assumeRole("ASIANEXT", T0.plus(Duration.ofHours(7)))));
        assertTrue(context.scheduledPunctuators().isEmpty(), "expiry runs on the event clock, not as a punctuation");
        assertNotNull(minted.get("ASIABACKLOG"), "an expiry pass ran (a 6-h mark passed): its later events still need the chain");

        lineage.process(record(assumeRole("ASIALATER", T0.plus(CredentialLineage.MAX_CREDENTIAL_LIFETIME).plusSeconds(1))));
        assertNull(minted.get("ASIABACKLOG"), "older than a credential's lifetime on the events' clock: expired");
        assertNotNull(minted.get("ASIALATER"));
        Record<?, ?> tombstone = context.forwarded().get(context.forwarded().size() - 1).record();
        assertEquals("ASIABACKLOG", tombstone.key());
        assertNull(tombstone.value(), "the lineage topic gets a tombstone");
    }

    private static Record<String, CloudTrailEvent> record(CloudTrailEvent event) {
        return new Record<>(event.getPrincipal().getPrincipalKey(), event, event.getEventTime().toEpochMilli());
    }

    private static CloudTrailEvent assumeRole(String keyId, Instant time) {
        Principal alice = Principal.newBuilder().setType(PrincipalType.IAMUser).setArn("arn:aws:iam::111111111111:user/alice")
                .setAccountId("111111111111").setAccessKeyId("AKIAALICE")
                .setPrincipalKey("111111111111/arn:aws:iam::111111111111:user/alice").build();
        return CloudTrailEvent.newBuilder().setEventId("e-" + keyId).setEventTime(time).setEventName("AssumeRole")
                .setEventSource("sts.amazonaws.com").setAwsRegion("us-east-1").setPrincipal(alice)
                .setRequestParameters("{\"roleArn\":\"arn:aws:iam::222222222222:role/Ops\",\"roleSessionName\":\"s\"}")
                .setResponseElements("{\"credentials\":{\"accessKeyId\":\"" + keyId + "\"}}").build();
    }

    private static KeyValueStore<String, String> store(String name, MockProcessorContext<String, String> context) {
        KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                Serdes.String()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
