package io.trailhound.connector.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import io.trailhound.connector.cloudtrail.RecordSpan;
import io.trailhound.connector.cloudtrail.RecordSplitter;
import io.trailhound.connector.cloudtrail.TrailFixture;
import io.trailhound.topic.DeadLetters;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** The PrincipalKey transform (#16): keys as the stream processor does, values byte for byte, never fails on bad input. */
class PrincipalKeyTest {

    private static final String ACCOUNT = "111122223333";

    @Test
    void shouldKeyEachIdentityTypeOnItsDurablePrincipal() {
        PrincipalKey<SourceRecord> smt = transform(Map.of());
        Map<String, String> identities = Map.of(
            "{\"type\":\"IAMUser\",\"accountId\":\"1\",\"arn\":\"arn:aws:iam::1:user/bob\",\"userName\":\"bob\"}",
            "1/arn:aws:iam::1:user/bob",
            "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/Admin/alice\",\"accountId\":\"1\",\"sessionContext\":"
                + "{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"arn:aws:iam::1:role/Admin\",\"userName\":\"Admin\"}}}",
            "1/arn:aws:iam::1:role/Admin",
            "{\"type\":\"Root\",\"accountId\":\"1\",\"arn\":\"arn:aws:iam::1:root\"}", "1/arn:aws:iam::1:root",
            "{\"type\":\"AWSService\",\"invokedBy\":\"lambda.amazonaws.com\"}", "service/lambda.amazonaws.com",
            "{\"type\":\"AWSAccount\",\"accountId\":\"1\"}", "1/account:1",
            "{\"type\":\"IdentityCenterUser\",\"accountId\":\"1\",\"onBehalfOf\":{\"userId\":\"u-1\"}}", "1/identity-center:u-1",
            "{\"type\":\"FederatedUser\",\"accountId\":\"1\",\"arn\":\"arn:aws:sts::1:federated-user/eve\"}",
            "1/arn:aws:sts::1:federated-user/eve/eve");
        identities.forEach((identity, key) -> {
            SourceRecord out = smt.apply(record(cloudTrail(identity)));
            assertEquals(key, out.key(), identity);
            assertEquals(Schema.STRING_SCHEMA, out.keySchema());
            assertNull(out.kafkaPartition(), "the partition follows the key");
        });
        assertEquals(identities.size(), smt.keyedCount());
    }

    @Test
    void shouldKeySharedRoleSessionsApartAsConfigured() {
        String sso = "{\"type\":\"AssumedRole\",\"accountId\":\"1\",\"arn\":\"arn:aws:sts::1:assumed-role/AWSReservedSSO_Dev_1f/ann\","
            + "\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::1:role/AWSReservedSSO_Dev_1f\","
            + "\"userName\":\"AWSReservedSSO_Dev_1f\"}}}";
        assertEquals("1/arn:aws:iam::1:role/AWSReservedSSO_Dev_1f/ann", transform(Map.of()).apply(record(cloudTrail(sso))).key(),
            "the default patterns are the stream processor's");
        assertEquals("1/arn:aws:iam::1:role/AWSReservedSSO_Dev_1f",
            transform(Map.of(PrincipalKeyConfig.SHARED_ROLE_PATTERNS_CONFIG, "")).apply(record(cloudTrail(sso))).key());
        String saml = sso.replace("AWSReservedSSO_Dev_1f", "okta-admins");
        assertEquals("1/arn:aws:iam::1:role/okta-admins/ann", transform(Map.of(PrincipalKeyConfig.SHARED_ROLE_PATTERNS_CONFIG,
            "AWSReservedSSO_.*, okta-.*")).apply(record(cloudTrail(saml))).key());
        assertThrows(ConfigException.class, () -> transform(Map.of(PrincipalKeyConfig.SHARED_ROLE_PATTERNS_CONFIG, "(unclosed")));
    }

    @Test
    void shouldKeyGuardDutyFindingsByFindingIdBareOrInTheEnvelope() {
        String finding = "{\"schemaVersion\":\"2.0\",\"accountId\":\"1\",\"id\":\"f00d\",\"type\":\"Recon:EC2/PortProbeUnprotectedPort\","
            + "\"severity\":2,\"service\":{\"count\":4,\"additionalInfo\":{\"sample\":false}},"
            + "\"resource\":{\"resourceType\":\"Instance\"}}";
        assertEquals("f00d", transform(Map.of()).apply(record(finding)).key());
        assertEquals("f00d", transform(Map.of(PrincipalKeyConfig.KIND_CONFIG, "guardduty")).apply(record(finding)).key());
        String envelope = "{\"version\":\"0\",\"id\":\"env-1\",\"detail-type\":\"GuardDuty Finding\",\"source\":\"aws.guardduty\","
            + "\"detail\":" + finding + "}";
        assertEquals("f00d", transform(Map.of()).apply(record(envelope)).key());
        PrincipalKey<SourceRecord> cloudTrailOnly = transform(Map.of(PrincipalKeyConfig.KIND_CONFIG, "CloudTrail"));
        assertEquals("f00d-original", cloudTrailOnly.apply(record(finding)).key(), "a finding is not keyed as a CloudTrail record");
        assertEquals(1, cloudTrailOnly.unkeyedCount());
        PrincipalKey<SourceRecord> findingsOnly = transform(Map.of(PrincipalKeyConfig.KIND_CONFIG, "guardduty"));
        assertEquals("e-1", findingsOnly.apply(record(cloudTrail("{\"type\":\"Root\"}"))).key());
    }

    @Test
    void shouldLeaveByteArrayAndStringValuesIdentical() {
        PrincipalKey<SourceRecord> smt = transform(Map.of());
        byte[] bytes = ("  " + cloudTrail("{\"type\":\"Root\",\"accountId\":\"1\"}") + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] copy = bytes.clone();
        SourceRecord in = new SourceRecord(Map.of("p", 1), Map.of("o", 2), "raw", 3, Schema.OPTIONAL_BYTES_SCHEMA,
            "event-1".getBytes(StandardCharsets.UTF_8), Schema.BYTES_SCHEMA, bytes, 42L, headers());
        SourceRecord out = smt.apply(in);
        assertSame(bytes, out.value());
        assertArrayEquals(copy, (byte[]) out.value());
        assertEquals(Schema.BYTES_SCHEMA, out.valueSchema());
        assertEquals("1/arn:aws:iam::1:root", out.key());
        assertEquals(42L, out.timestamp());
        assertEquals(Map.of("p", 1), out.sourcePartition());
        assertEquals(Map.of("o", 2), out.sourceOffset());
        assertEquals("s3://trail/a.json.gz", out.headers().lastWithName(DeadLetters.LOCATION).value());

        String text = cloudTrail("{\"type\":\"AWSService\",\"invokedBy\":\"s3.amazonaws.com\"}");
        SourceRecord fromString = smt.apply(new SourceRecord(null, null, "raw", null, null, null, Schema.STRING_SCHEMA, text));
        assertSame(text, fromString.value());
        assertEquals("service/s3.amazonaws.com", fromString.key());

        ByteBuffer buffer = ByteBuffer.wrap(("xx" + text).getBytes(StandardCharsets.UTF_8)).position(2);
        SourceRecord fromBuffer = smt.apply(new SourceRecord(null, null, "raw", null, null, null, Schema.BYTES_SCHEMA, buffer));
        assertSame(buffer, fromBuffer.value());
        assertEquals(2, buffer.position(), "the buffer is read without moving it");
        assertEquals("service/s3.amazonaws.com", fromBuffer.key());
    }

    @Test
    void shouldPassMalformedValuesUnkeyedWithoutFailing() {
        PrincipalKey<SourceRecord> smt = transform(Map.of());
        List<Object> bad = List.of("{\"eventName\":", "not json", "[1,2,3]", "\"text\"", "{\"a\":1} trailing", "",
            new byte[] {(byte) 0xff, 0x00, 0x7b}, 42, List.of("a"));
        for (Object value : bad) {
            SourceRecord in = new SourceRecord(null, null, "raw", 0, Schema.OPTIONAL_BYTES_SCHEMA,
                "event-9".getBytes(StandardCharsets.UTF_8), null, value, 7L, headers());
            SourceRecord out = smt.apply(in);
            assertSame(value, out.value(), String.valueOf(value));
            assertEquals("event-9", out.key(), "the key's bytes stay as they came");
            assertEquals(0, out.kafkaPartition());
        }
        assertEquals(bad.size(), smt.unkeyedCount());
        assertEquals(0, smt.keyedCount());
        SourceRecord stringKeyed = new SourceRecord(null, null, "raw", null, Schema.STRING_SCHEMA, "k", null, "{oops");
        assertSame(stringKeyed, smt.apply(stringKeyed), "a record with a string key passes as it is");
    }

    @Test
    void shouldPassTombstonesAndDeadLettersWithoutReadingThem() {
        PrincipalKey<SourceRecord> smt = transform(Map.of());
        SourceRecord tombstone = new SourceRecord(null, null, "raw", null, Schema.STRING_SCHEMA, "k", null, null);
        assertSame(tombstone, smt.apply(tombstone));
        SourceRecord nullKey = new SourceRecord(null, null, "raw", null, null, null, null, null);
        assertSame(nullKey, smt.apply(nullKey));
        ConnectHeaders dead = headers();
        dead.addString(DeadLetters.REASON, "corrupt gzip");
        byte[] file = "{\"Records\":[".getBytes(StandardCharsets.UTF_8);
        SourceRecord letter = smt.apply(new SourceRecord(null, null, "trailhound.deadletter", null, Schema.OPTIONAL_BYTES_SCHEMA,
            "s3://trail/a.json.gz".getBytes(StandardCharsets.UTF_8), Schema.OPTIONAL_BYTES_SCHEMA, file, null, dead));
        assertSame(file, letter.value());
        assertEquals("s3://trail/a.json.gz", letter.key());
        assertEquals(3, smt.passedCount());
        assertEquals(0, smt.unkeyedCount());
    }

    /**
     * Not a benchmark: a rough per-record cost of keying next to the connector's own reading of the same records (gunzip the
     * log file and split it into records with its byte scanner), printed in the test output (the README quotes it). Best of
     * 15 rounds. The bound only catches a keying that became much dearer (a full parse or worse): build machines are shared.
     */
    @Test
    void shouldCostNoMoreThanTheConnectorsOwnRead() throws Exception {
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            events.add(TrailFixture.event(UUID.randomUUID().toString(), ACCOUNT, "us-east-1", Instant.parse("2024-05-01T00:00:00Z"), i));
        }
        byte[] gzipped = TrailFixture.gzip(TrailFixture.file(events));
        PrincipalKey<SourceRecord> smt = transform(Map.of());
        List<SourceRecord> records = events.stream().map(e -> record(e)).toList();
        long read = Long.MAX_VALUE;
        long key = Long.MAX_VALUE;
        for (int round = 0; round < 15; round++) {
            long t0 = System.nanoTime();
            byte[] file;
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
                file = in.readAllBytes();
            }
            List<RecordSpan> spans = RecordSplitter.split(file);
            long t1 = System.nanoTime();
            for (SourceRecord r : records) {
                smt.apply(r);
            }
            long t2 = System.nanoTime();
            assertEquals(events.size(), spans.size());
            read = Math.min(read, t1 - t0);
            key = Math.min(key, t2 - t1);
        }
        double perRead = read / 1000.0 / events.size();
        double perKey = key / 1000.0 / events.size();
        System.out.printf("PrincipalKey: %.2f us/record to key; the connector: %.2f us/record to gunzip and split (%d B records)%n",
            perKey, perRead, events.get(0).length);
        assertTrue(perKey <= Math.max(10 * perRead, 30.0), "keying costs " + perKey + " us/record, reading " + perRead);
    }

    private static PrincipalKey<SourceRecord> transform(Map<String, String> config) {
        PrincipalKey<SourceRecord> smt = new PrincipalKey<>();
        smt.configure(config);
        return smt;
    }

    private static String cloudTrail(String identity) {
        return "{\"eventVersion\":\"1.09\",\"userIdentity\":" + identity + ",\"eventTime\":\"2024-05-01T00:00:00Z\","
            + "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"ListBuckets\",\"requestParameters\":{\"a\":[1,{\"b\":\"}\"}]},"
            + "\"responseElements\":null,\"eventID\":\"e-1\",\"recipientAccountId\":\"" + ACCOUNT + "\"}";
    }

    private static SourceRecord record(String json) {
        return record(json.getBytes(StandardCharsets.UTF_8));
    }

    private static SourceRecord record(byte[] json) {
        String original = new String(json, StandardCharsets.UTF_8).contains("f00d") ? "f00d-original" : "e-1";
        return new SourceRecord(Map.of(), Map.of(), "raw", null, Schema.OPTIONAL_BYTES_SCHEMA, original.getBytes(StandardCharsets.UTF_8),
            Schema.BYTES_SCHEMA, json, 1L, headers());
    }

    private static ConnectHeaders headers() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(DeadLetters.LOCATION, "s3://trail/a.json.gz");
        return headers;
    }
}
