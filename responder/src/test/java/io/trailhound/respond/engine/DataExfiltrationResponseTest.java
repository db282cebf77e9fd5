package io.trailhound.respond.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.Decision;
import io.trailhound.avro.Entities;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;

/** The data-exfiltration runbook through the real SDK clients against local S3, EC2, IAM and STS endpoints. */
class DataExfiltrationResponseTest {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final String OWN = "{\"Sid\":\"Own\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
        + "\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::customer-data/*\"}";
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::customer-data/*\"},"
        + "{\"Sid\":\"Foreign\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::999988887777:root\"]},"
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::customer-data/*\"}," + OWN + "]}";
    private static final String ACL = "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>owner-id</ID>"
        + "</Owner><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">"
        + "<ID>owner-id</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant><Grant><Grantee "
        + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers"
        + "</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>";

    @Test
    void shouldBlockPublicAccessUnshareAndContainTheActorInOrder() {
        AWS.wireMock().stubFor(get(urlPathEqualTo("/customer-data")).withQueryParam("policy", matching(".*"))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(POLICY)));
        AWS.wireMock().stubFor(get(urlPathEqualTo("/customer-data")).withQueryParam("publicAccessBlock", matching(".*"))
            .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/xml").withBody("<Error>"
                + "<Code>NoSuchPublicAccessBlockConfiguration</Code><Message>none</Message><RequestId>r1</RequestId></Error>")));
        AWS.wireMock().stubFor(put(urlPathEqualTo("/customer-data")).withQueryParam("publicAccessBlock", matching(".*"))
            .willReturn(aResponse().withStatus(200).withHeader("x-amz-request-id", "put-pab-1")));
        AWS.stubQuery(AwsQueryService.EC2, "DescribeSnapshotAttribute", "<snapshotId>snap-0abc</snapshotId>"
            + "<createVolumePermission><item><group>all</group></item><item><userId>123456789012</userId></item>"
            + "<item><userId>444455556666</userId></item></createVolumePermission>");
        AWS.stubQuery(AwsQueryService.EC2, "ModifySnapshotAttribute", "<return>true</return>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeImageAttribute", "<imageId>ami-0def</imageId>"
            + "<launchPermission><item><userId>444455556666</userId></item></launchPermission>");
        AWS.stubQuery(AwsQueryService.EC2, "ModifyImageAttribute", "<return>true</return>");
        AWS.stubQuery(AwsQueryService.IAM, "ListAccessKeys", "<AccessKeyMetadata/><IsTruncated>false</IsTruncated>");
        AWS.stubQueryError(AwsQueryService.IAM, "GetUserPolicy", 404, "NoSuchEntity", "none");
        AWS.stubQuery(AwsQueryService.IAM, "PutUserPolicy", "");
        AWS.stubQuery(AwsQueryService.IAM, "DeleteLoginProfile", "");
        AWS.stubQuery(AwsQueryService.IAM, "ListSSHPublicKeys", "<SSHPublicKeys/><IsTruncated>false</IsTruncated>");
        AWS.stubQuery(AwsQueryService.IAM, "ListServiceSpecificCredentials", "<ServiceSpecificCredentials/>");
        AWS.stubQuery(AwsQueryService.IAM, "ListSigningCertificates", "<Certificates/><IsTruncated>false</IsTruncated>");
        Alert alert = TestAlerts.iamUser().setRuleId("AttackSequence:S3/CompromisedData").setEntities(Entities.newBuilder()
            .setBuckets(List.of("customer-data")).setSnapshotIds(List.of("snap-0abc")).setImageIds(List.of("ami-0def"))
            .build()).build();

        List<ResponseAction> records;
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of(ResponderConfig.TRUSTED_ACCOUNTS_CONFIG, "123456789012"))) {
            records = local.responder.respond(alert);
        }
        assertTrue(records.stream().filter(r -> !r.getAwsAction().startsWith("s3:PutBucket") || r.getAwsAction().endsWith("AccessBlock"))
            .allMatch(r -> r.getStatus() == ActionStatus.EXECUTED), records.toString());
        assertTrue(records.stream().filter(r -> r.getAwsAction().equals("s3:PutBucketPolicy") || r.getAwsAction().equals("s3:PutBucketAcl"))
            .allMatch(r -> r.getStatus() == ActionStatus.AWAITING_APPROVAL), "reverts wait for approval");
        assertTrue(AWS.requests().stream().noneMatch(r -> r.method().equals("PUT") && r.params().containsKey("policy")));
        ResponseAction recorded = records.stream().filter(r -> r.getAwsAction().equals("s3:GetBucketPolicy")).findFirst().orElseThrow();
        assertTrue(recorded.getDetails().contains("customer-data/*"), "the policy is recorded for rollback: " + recorded.getDetails());

        List<String> changes = AWS.requests().stream()
            .map(r -> r.method().equals("PUT") ? "PutPublicAccessBlock" : r.action())
            .filter(a -> List.of("PutPublicAccessBlock", "ModifySnapshotAttribute", "ModifyImageAttribute", "PutUserPolicy").contains(a))
            .toList();
        assertEquals(List.of("PutPublicAccessBlock", "ModifySnapshotAttribute", "ModifyImageAttribute", "PutUserPolicy"), changes);
        AwsRequest block = AWS.requests().stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
        for (String setting : List.of("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")) {
            assertTrue(block.body().contains("<" + setting + ">true</" + setting + ">"), block.body());
        }
        AwsRequest unshare = AWS.verifyCalled("ModifySnapshotAttribute");
        assertEquals("all", unshare.param("CreateVolumePermission.Remove.1.Group"));
        assertEquals("444455556666", unshare.param("CreateVolumePermission.Remove.2.UserId"));
        assertEquals(null, unshare.param("CreateVolumePermission.Remove.3.UserId"),
            "the trusted account keeps its share: " + unshare.params());
        assertEquals("444455556666", AWS.verifyCalled("ModifyImageAttribute").param("LaunchPermission.Remove.1.UserId"));
    }

    @Test
    void shouldRevertThePolicyAndAclOnlyAfterApproval() {
        AWS.wireMock().stubFor(get(urlPathEqualTo("/customer-data")).withQueryParam("policy", matching(".*"))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(POLICY)));
        AWS.wireMock().stubFor(put(urlPathEqualTo("/customer-data")).withQueryParam("policy", matching(".*"))
            .willReturn(aResponse().withStatus(204).withHeader("x-amz-request-id", "put-policy-1")));
        AWS.wireMock().stubFor(get(urlPathEqualTo("/customer-data")).withQueryParam("acl", matching(".*"))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(ACL)));
        AWS.wireMock().stubFor(put(urlPathEqualTo("/customer-data")).withQueryParam("acl", matching(".*"))
            .willReturn(aResponse().withStatus(200).withHeader("x-amz-request-id", "put-acl-1")));
        AWS.wireMock().stubFor(put(urlPathEqualTo("/customer-data")).withQueryParam("publicAccessBlock", matching(".*"))
            .willReturn(aResponse().withStatus(200).withHeader("x-amz-request-id", "put-pab-1")));
        AWS.wireMock().stubFor(get(urlPathEqualTo("/customer-data")).withQueryParam("publicAccessBlock", matching(".*"))
            .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/xml").withBody("<Error>"
                + "<Code>NoSuchPublicAccessBlockConfiguration</Code><Message>none</Message><RequestId>r1</RequestId></Error>")));
        Alert alert = TestAlerts.iamUser().setPrincipal(null).setRuleId("AttackSequence:S3/CompromisedData")
            .setEntities(Entities.newBuilder().setBuckets(List.of("customer-data")).build()).build();
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of())) {
            List<ResponseAction> records = local.responder.respond(alert);
            assertTrue(AWS.requests().stream().noneMatch(r -> r.method().equals("PUT") && !r.params().containsKey("publicAccessBlock")),
                "nothing reverted before approval");
            for (String action : List.of("s3:PutBucketPolicy", "s3:PutBucketAcl")) {
                ResponseAction waiting = records.stream().filter(r -> r.getAwsAction().equals(action)).findFirst().orElseThrow();
                List<ResponseAction> decided = local.responder.decide(ApprovalDecision.newBuilder().setRequestId("r")
                    .setActionId(waiting.getActionId()).setDecision(Decision.APPROVED).setApprover("alice")
                    .setDecidedAt(TestAlerts.NOW.plusSeconds(30)).build());
                assertEquals(ActionStatus.EXECUTED, decided.get(1).getStatus(), decided.toString());
            }
        }
        AwsRequest policy = AWS.requests().stream().filter(r -> r.method().equals("PUT") && r.params().containsKey("policy"))
            .findFirst().orElseThrow();
        assertTrue(policy.body().contains("\"Sid\":\"Own\"") && !policy.body().contains("Foreign")
            && !policy.body().contains("\"Principal\":\"*\""), "public and foreign statements removed: " + policy.body());
        AwsRequest acl = AWS.requests().stream().filter(r -> r.method().equals("PUT") && r.params().containsKey("acl"))
            .findFirst().orElseThrow();
        assertTrue(acl.body().contains("owner-id") && !acl.body().contains("AllUsers"), acl.body());
    }
}
