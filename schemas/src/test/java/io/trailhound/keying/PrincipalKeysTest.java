package io.trailhound.keying;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Pins the key of every kind of raw record (#16): the Connect transform keys raw topics with these and the stream processor
 * keys its events with them, so a change here moves every principal to another partition and must be deliberate.
 */
class PrincipalKeysTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PrincipalKeys KEYS = PrincipalKeys.of(List.of("AWSReservedSSO_.*"));

    /** The record files (real CloudTrail records, GuardDuty findings, EventBridge envelopes) and their pinned keys. */
    private static final Map<String, String> FILES = new TreeMap<>(Map.ofEntries(
            Map.entry("assumed-role.json", "123456789012/arn:aws:iam::123456789012:role/example-role"),
            Map.entry("sso-role.json", "123456789012/arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/us-west-2/"
                    + "AWSReservedSSO_DevAdmin_635426549a280cc6/fake.user"),
            Map.entry("iam-user.json", "123456789/arn:aws:iam::123456789:user/user1"),
            Map.entry("cloudtrail-eventbridge.json", "123456789/arn:aws:iam::123456789:user/user1"),
            Map.entry("root.json", "123456789012/arn:aws:iam::123456789012:root"),
            Map.entry("aws-service.json", "service/lambda.amazonaws.com"),
            Map.entry("federated-user.json",
                    "123456789012/arn:aws:sts::123456789012:federated-user/federated-user/federated-user"),
            Map.entry("otrf-timestamp.json", "123456789123/arn:aws:iam::123456789123:role/MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0"),
            Map.entry("assume-role.json", "111122223333/account:111122223333"),
            Map.entry("guardduty-finding.json", "eeb88ab56556eb7771b266670dddee5a"),
            Map.entry("guardduty-eventbridge.json", "eeb88ab56556eb7771b266670dddee5a")));

    @Test
    void shouldKeyEveryRecordFileAsPinned() throws IOException {
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            byte[] raw = Files.readAllBytes(Path.of("src/test/resources/keying", file.getKey()));
            assertEquals(file.getValue(), KEYS.recordKey(MAPPER.readTree(raw)), file.getKey());
            assertEquals(file.getValue(), KEYS.recordKey(KeyFields.read(raw, 0, raw.length)), file.getKey() + " scanned");
            assertEquals(file.getValue(), KEYS.recordKey(KeyFields.parse(raw, 0, raw.length)), file.getKey() + " streamed");
        }
    }

    @Test
    void shouldKeyEachIdentityType() throws IOException {
        assertEquals("1/arn:aws:iam::1:user/u", identity("{'type':'IAMUser','accountId':'1','arn':'arn:aws:iam::1:user/u'}"));
        assertEquals("1/name:u", identity("{'type':'IAMUser','accountId':'1','userName':'u'}"));
        assertEquals("1/arn:aws:iam::1:role/R", identity("{'type':'AssumedRole','accountId':'1',"
                + "'arn':'arn:aws:sts::1:assumed-role/R/s',"
                + "'sessionContext':{'sessionIssuer':{'arn':'arn:aws:iam::1:role/R','userName':'R'}}}"));
        assertEquals("1/arn:aws:iam::1:role/R", identity("{'type':'AssumedRole','arn':'arn:aws:sts::1:assumed-role/R/s'}"),
                "role ARN from the session ARN when there is no issuer");
        assertEquals("1/arn:aws:iam::1:root", identity("{'type':'Root','accountId':'1'}"));
        assertEquals("service/", identity("{'type':'AWSService'}"));
        assertEquals("1/account:1", identity("{'type':'AWSAccount','accountId':'1'}"));
        assertEquals("1/identity-center:u-9", identity("{'type':'IdentityCenterUser','accountId':'1','onBehalfOf':{'userId':'u-9'}}"));
        assertEquals("1/arn:aws:sts::1:federated-user/bob/bob",
                identity("{'type':'FederatedUser','arn':'arn:aws:sts::1:federated-user/bob'}"));
        assertEquals("1/arn:aws:iam::1:user/x", identity("{'type':'SomethingNew','arn':'arn:aws:iam::1:user/x'}"));
        assertEquals("1/name:", identity("{}"));
        assertEquals("1/name:", KEYS.identityKey(null, "1"));
        assertEquals("1/name:", KEYS.identityKey(MAPPER.getNodeFactory().textNode("not-an-object"), "1"));
        assertEquals("/name:", KEYS.identityKey(null, null));
    }

    @Test
    void shouldKeySharedRolesOnRoleAndSessionOnlyWhenTheRoleMatches() throws IOException {
        String sso = "{'type':'AssumedRole','accountId':'1','arn':'arn:aws:sts::1:assumed-role/AWSReservedSSO_Admin_0a/alice',"
                + "'sessionContext':{'sessionIssuer':{'arn':'arn:aws:iam::1:role/aws-reserved/AWSReservedSSO_Admin_0a','userName':"
                + "'AWSReservedSSO_Admin_0a'}}}";
        assertEquals("1/arn:aws:iam::1:role/aws-reserved/AWSReservedSSO_Admin_0a/alice", identity(sso));
        assertEquals("1/arn:aws:iam::1:role/aws-reserved/AWSReservedSSO_Admin_0a",
                PrincipalKeys.of(List.of()).identityKey(json(sso), "1"));
        assertEquals("1/arn:aws:iam::1:role/aws-reserved/AWSReservedSSO_Admin_0a/alice",
                PrincipalKeys.of(List.of(" Other.* ", "AWSReserved.*")).identityKey(json(sso), "1"));
    }

    @Test
    void shouldKeySuccessfulFederationCallsOnTheirRole() throws IOException {
        String web = "{'eventName':'AssumeRoleWithWebIdentity','userIdentity':{'type':'WebIdentityUser','userName':'repo:a/b'},"
                + "'recipientAccountId':'1','requestParameters':{'roleArn':'arn:aws:iam::2:role/Deploy'},"
                + "'responseElements':{'provider':'arn:aws:iam::2:oidc-provider/token.actions.githubusercontent.com',"
                + "'subjectFromWebIdentityToken':'repo:a/b:ref:refs/heads/main'}}";
        assertEquals("2/federation:arn:aws:iam::2:role/Deploy", record(web));
        assertEquals("1/name:repo:a/b", record(web.replace("'recipientAccountId'", "'errorCode':'AccessDenied','recipientAccountId'")),
                "a failed call is keyed on its caller");
        assertEquals("1/name:repo:a/b", record(web.replace("subjectFromWebIdentityToken", "other")), "no subject");
        String saml = "{'eventName':'AssumeRoleWithSAML','userIdentity':{'type':'SAMLUser','userName':'alice'},'recipientAccountId':'1',"
                + "'requestParameters':'{\\\"roleArn\\\":\\\"arn:aws:iam::3:role/Sso\\\","
                + "\\\"principalArn\\\":\\\"arn:aws:iam::3:saml-provider/Okta\\\"}',"
                + "'responseElements':{'subject':['alice@example.com']}}";
        assertEquals("3/federation:arn:aws:iam::3:role/Sso", record(saml), "JSON text and arrays are stepped into");
        assertEquals("/federation:arn:aws:iam:::role/X", PrincipalKeys.federationKey("arn:aws:iam:::role/X"));
    }

    @Test
    void shouldKeyOnlyJsonObjects() throws IOException {
        assertNull(KEYS.recordKey(json("[1,2]")));
        assertNull(KEYS.recordKey(null));
        assertNull(KeyFields.read("[{\"a\":1}]"));
        assertNull(KeyFields.read("\"text\""));
        assertNull(KEYS.recordKey(json("{'type':'T','severity':5,'id':null,'schemaVersion':'2.0'}")), "a finding without id");
        for (String bad : List.of("{\"a\":1", "{\"a\":}", "{\"a\":1} x", "", "nope", "{\"userIdentity\":{\"type\":\"IAMUser\"}",
                "{\"a\":[1}", "{\"a\" 1}", "{a:1}", "{\"a\":\"x}", "{\"a\":1,}", "{\"eventName\":tru}")) {
            assertThrows(IOException.class, () -> KeyFields.read(bad), bad);
            byte[] raw = bad.getBytes(StandardCharsets.UTF_8);
            assertThrows(IOException.class, () -> KeyFields.parse(raw, 0, raw.length), bad);
        }
    }

    @Test
    void shouldStreamTheSameKeysAsTheWholeTree() throws IOException {
        List<String> records = List.of(
                "{'eventName':'ListBuckets','requestParameters':{'roleArn':'x'},'userIdentity':{'type':'Root','accountId':'7'}}",
                "{'requestParameters':{'roleArn':'arn:aws:iam::2:role/D'},"
                        + "'responseElements':{'provider':'p','subjectFromWebIdentityToken':'s'},"
                        + "'eventName':'AssumeRoleWithWebIdentity','recipientAccountId':'2'}",
                "{'detail-type':'GuardDuty Finding','detail':{'id':'f-1','type':'T','severity':2.0,'service':{'count':3}}}",
                "{'id':'f-2','type':'T','severity':8,'resource':{'resourceType':'AccessKey'},'service':[1]}",
                "{'id':'not-a-finding','type':'T','severity':8,'resource':{},'eventName':'X','userIdentity':{'type':'AWSAccount'},"
                        + "'recipientAccountId':12}",
                "{'detail':{'userIdentity':{'type':'IAMUser','arn':'arn:aws:iam::4:user/d'}},'recipientAccountId':'5'}",
                "{'userIdentity':{'type':'Root','accountId':'1'},'userIdentity':{'type':'Root','accountId':'2'},'x':[{'y':']}'}]}",
                "{'us\\u0065rIdentity':{'type':'Root','accountId':'3'},'recipientAccountId':'4','eventName':'A\\u0042'}",
                "{ 'eventName' : 'AssumeRoleWithSAML' , 'requestParameters' : '{\\'roleArn\\':\\'arn:aws:iam::6:role/S\\',"
                        + "\\'principalArn\\':\\'p\\'}', 'responseElements' : {'subject':'s'}, 'recipientAccountId' : 6e0 }");
        for (String record : records) {
            String text = record.replace('\'', '"');
            byte[] raw = ("  " + text + "\n").getBytes(StandardCharsets.UTF_8);
            assertEquals(KEYS.recordKey(MAPPER.readTree(text)), KEYS.recordKey(KeyFields.read(raw, 2, raw.length - 2)), text);
            assertEquals(KEYS.recordKey(MAPPER.readTree(text)), KEYS.recordKey(KeyFields.parse(raw, 2, raw.length - 2)), text);
        }
    }

    private static String identity(String userIdentity) throws IOException {
        return KEYS.identityKey(json(userIdentity), "1");
    }

    private static String record(String record) throws IOException {
        String tree = KEYS.recordKey(json(record));
        assertEquals(tree, KEYS.recordKey(KeyFields.read(record.replace('\'', '"'))), "streamed");
        return tree;
    }

    private static JsonNode json(String singleQuoted) throws IOException {
        return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }
}
