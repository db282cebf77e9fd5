package io.trailhound.detect.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.GuardDutyFinding;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.Severity;

/** Normalization of real CloudTrail records and GuardDuty findings (Panther corpus, OTRF capture) into the Avro types. */
class RecordNormalizerTest {

    private final RecordNormalizer normalizer =
            new RecordNormalizer(new PrincipalResolver(List.of(Pattern.compile("AWSReservedSSO_.*"))), 1_048_576);

    @Test
    void shouldKeyAssumedRolesOnTheRoleArnNotTheSession() throws IOException {
        CloudTrailEvent e = event("assumed-role.json");
        assertEquals(PrincipalType.AssumedRole, e.getPrincipal().getType());
        assertEquals("arn:aws:iam::123456789012:role/example-role", e.getPrincipal().getArn());
        assertEquals("123456789012/arn:aws:iam::123456789012:role/example-role", e.getPrincipal().getPrincipalKey());
        assertEquals("arn:aws:sts::123456789012:assumed-role/example-role/example-user", e.getPrincipal().getSessionArn());
        assertEquals("example-user", e.getPrincipal().getSessionName());
    }

    @Test
    void shouldKeySsoPermissionSetRolesOnRoleAndSessionName() throws IOException {
        CloudTrailEvent e = event("sso-role.json");
        assertEquals("123456789012/arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/us-west-2/"
                + "AWSReservedSSO_DevAdmin_635426549a280cc6/fake.user", e.getPrincipal().getPrincipalKey());
        assertEquals("fake.user", e.getPrincipal().getSessionName());
    }

    @Test
    void shouldKeyIamUsersRootServicesAndFederatedUsers() throws IOException {
        CloudTrailEvent user = event("iam-user.json");
        assertEquals(PrincipalType.IAMUser, user.getPrincipal().getType());
        assertTrue(user.getPrincipal().getPrincipalKey().endsWith("/" + user.getPrincipal().getArn()));
        CloudTrailEvent root = event("root.json");
        assertEquals(PrincipalType.Root, root.getPrincipal().getType());
        assertTrue(root.getPrincipal().getPrincipalKey().endsWith(":root"), root.getPrincipal().getPrincipalKey());
        CloudTrailEvent service = event("aws-service.json");
        assertEquals("service/lambda.amazonaws.com", service.getPrincipal().getPrincipalKey());
        assertEquals("lambda.amazonaws.com", service.getPrincipal().getInvokedBy());
        CloudTrailEvent federated = event("federated-user.json");
        assertEquals(PrincipalType.FederatedUser, federated.getPrincipal().getType());
        assertEquals("federated-user", federated.getPrincipal().getSessionName());
    }

    @Test
    void shouldReadTheSpacedEventTimeAsUtc() throws IOException {
        CloudTrailEvent e = event("spaced-time.json");
        assertEquals(Instant.parse("2025-01-21T17:49:47Z"), e.getEventTime());
    }

    @Test
    void shouldReadOtrfTimestampWhenEventTimeIsMissing() throws IOException {
        CloudTrailEvent e = event("otrf-timestamp.json");
        assertEquals(Instant.parse("2020-09-14T01:02:34Z"), e.getEventTime());
        assertEquals("i-0317f6c6b66ae9c40", e.getPrincipal().getSessionName());
    }

    @Test
    void shouldRejectARecordWithoutEventTime() throws IOException {
        Normalized n = normalizer.normalize(resource("missing-time.json"));
        assertEquals("missing eventTime", assertInstanceOf(Normalized.Rejected.class, n).reason());
    }

    @Test
    void shouldRemoveSessionTokensFromMintedCredentials() throws IOException {
        CloudTrailEvent e = event("assume-role.json");
        assertTrue(e.getResponseElements().contains("accessKeyId"), e.getResponseElements());
        assertFalse(e.getResponseElements().contains("sessionToken"), e.getResponseElements());
    }

    @Test
    void shouldUnwrapCloudTrailFromAnEventBridgeEnvelope() throws IOException {
        CloudTrailEvent bare = event("iam-user.json");
        CloudTrailEvent wrapped = event("cloudtrail-eventbridge.json");
        assertEquals(bare, wrapped);
    }

    @Test
    void shouldNormalizeGuardDutyFindingsBareAndInTheEnvelope() throws IOException {
        GuardDutyFinding bare = finding("guardduty-finding.json");
        assertEquals("eeb88ab56556eb7771b266670dddee5a", bare.getFindingId());
        assertEquals(Severity.HIGH, bare.getSeverityLabel());
        assertEquals(Instant.parse("2020-02-14T18:12:22.316Z"), bare.getUpdatedAt());
        assertEquals("PutRolePolicy", bare.getApiCall().getApiName());
        assertEquals(bare, finding("guardduty-eventbridge.json"));
    }

    @Test
    void shouldKeepTheRoleSessionThatNamesTheInstanceOfAnInstanceCredentialFinding() throws IOException {
        // #14: GuardDuty names the instance of exfiltrated instance credentials only in principalId's session part
        GuardDutyFinding f = finding("guardduty-instance-credential-exfiltration.json");
        assertEquals("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", f.getType());
        assertEquals("AROA2EXAMPLEROLEID7:i-0123456789abcdef0", f.getAccessKeyDetails().getPrincipalId());
        assertEquals("AssumedRole", f.getAccessKeyDetails().getUserType());
        assertEquals("WebRole", f.getAccessKeyDetails().getUserName());
        assertEquals("198.51.100.23", f.getRemoteIpAddress());
        assertNull(f.getInstanceDetails(), "the finding's resource is the access key, not the instance");
    }

    @Test
    void shouldRejectBadInputWithAReasonAndNeverThrow() {
        assertEquals("empty record", rejected(new byte[0]));
        assertTrue(rejected("{\"eventName\":".getBytes(StandardCharsets.UTF_8)).startsWith("malformed JSON"));
        assertEquals("not a JSON object", rejected("[1,2]".getBytes(StandardCharsets.UTF_8)));
        assertEquals("missing eventName", rejected("{\"eventID\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(rejected("{\"eventID\":\"x\",\"eventName\":\"A\",\"eventTime\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8))
                .startsWith("unparseable eventTime"));
        byte[] big = new byte[2_000_000];
        assertTrue(rejected(big).contains("exceeds the limit"));
    }

    @Test
    void shouldNotMistakeAWrongTypeForAParseableEvent() {
        Normalized n = normalizer.normalize(("{\"eventID\":\"x\",\"eventName\":\"A\",\"eventTime\":\"2024-01-01T00:00:00Z\","
                + "\"userIdentity\":\"not-an-object\",\"resources\":{\"a\":1}}").getBytes(StandardCharsets.UTF_8));
        CloudTrailEvent e = assertInstanceOf(Normalized.Event.class, n).event();
        assertEquals(PrincipalType.Unknown, e.getPrincipal().getType());
        assertNull(e.getPrincipal().getArn());
        assertTrue(e.getResources().isEmpty());
    }

    private String rejected(byte[] raw) {
        return assertInstanceOf(Normalized.Rejected.class, normalizer.normalize(raw)).reason();
    }

    private CloudTrailEvent event(String name) throws IOException {
        return assertInstanceOf(Normalized.Event.class, normalizer.normalize(resource(name))).event();
    }

    private GuardDutyFinding finding(String name) throws IOException {
        return assertInstanceOf(Normalized.Finding.class, normalizer.normalize(resource(name))).finding();
    }

    static byte[] resource(String name) throws IOException {
        return Files.readAllBytes(Path.of("src/test/resources/normalize", name));
    }
}
