package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import io.trailhound.access.AccessSummary;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.serde.TrustedAvroClasses;

/** Which IAM ARN an alert's principal is looked up by in the access summaries (#15), and the decoded summaries' cache. */
class AccessLookupTest {

    @Test
    void shouldLookUpUsersAndTheRoleOfAnAssumedRoleSession() {
        assertEquals("arn:aws:iam::111122223333:user/dev", AccessLookup.iamArn(principal(PrincipalType.IAMUser,
            "arn:aws:iam::111122223333:user/dev", null, null)));
        assertEquals("arn:aws:iam::111122223333:role/ops/app", AccessLookup.iamArn(principal(PrincipalType.AssumedRole,
            "arn:aws:iam::111122223333:role/ops/app", "arn:aws:sts::111122223333:assumed-role/app/s1", null)),
            "the durable role ARN, with its path");
        assertEquals("arn:aws:iam::111122223333:role/ops/app", AccessLookup.iamArn(principal(PrincipalType.AssumedRole, null,
            "arn:aws:sts::111122223333:assumed-role/app/s1", "arn:aws:iam::111122223333:role/ops/app")), "the session issuer");
        assertEquals("arn:aws:iam::111122223333:role/app", AccessLookup.iamArn(principal(PrincipalType.AssumedRole, null,
            "arn:aws:sts::111122223333:assumed-role/app/s1", null)), "the role the session ARN names (no path)");
        assertNull(AccessLookup.iamArn(principal(PrincipalType.Root, "arn:aws:iam::111122223333:root", null, null)));
        assertNull(AccessLookup.iamArn(principal(PrincipalType.AWSService, null, null, null)));
        assertNull(AccessLookup.iamArn(null));
    }

    @Test
    void shouldDecodeAStoredSummaryOnceUntilTheAccessStageRepublishesIt() {
        String dev = "arn:aws:iam::111122223333:user/dev";
        KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("summaries"),
            Serdes.String(), Serdes.String()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        store.put(dev, summary(dev, 40, List.of()).toJson());
        AccessLookup lookup = new AccessLookup(store);
        TrustedAvroClasses.install();
        Alert alert = Alert.newBuilder().setAlertId("a").setDedupKey("d").setRuleId("r")
            .setPrincipal(principal(PrincipalType.IAMUser, dev, null, null)).build();

        io.trailhound.avro.AccessSummary first = lookup.summary(alert);
        assertEquals(40, first.getRiskScore());
        assertSame(first, lookup.summary(alert), "the second alert is served from the cache");
        assertEquals(1, lookup.decodes());

        String admin = "arn:aws:iam::222233334444:role/OrganizationAccountAccessRole";
        store.put(dev, summary(dev, 70, List.of(admin)).toJson());
        io.trailhound.avro.AccessSummary changed = lookup.summary(alert);
        assertEquals(70, changed.getRiskScore(), "a republished summary is read, not the cached one");
        assertEquals(List.of(admin), changed.getTopAdminRoles());
        assertEquals(2, lookup.decodes());

        store.put(dev, "{not json");
        assertNull(lookup.summary(alert), "unreadable: no summary, no failure");
        assertNull(lookup.summary(alert));
        assertEquals(3, lookup.decodes(), "an unreadable text is decoded (and logged) once");
        store.delete(dev);
        assertNull(lookup.summary(alert), "a principal gone from the store has no summary");
    }

    private static AccessSummary summary(String arn, int risk, List<String> admins) {
        return new AccessSummary(arn, !admins.isEmpty(), admins.isEmpty() ? null : "DEFINITE", List.of(),
            List.of("111122223333", "222233334444"), risk, admins, 1_700_000_000_000L, Map.of());
    }

    private static Principal principal(PrincipalType type, String arn, String session, String issuer) {
        return Principal.newBuilder().setType(type).setPrincipalKey("k").setArn(arn).setSessionArn(session)
            .setSessionIssuerArn(issuer).build();
    }
}
