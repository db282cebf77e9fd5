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
import io.trailhound.avro.Entities;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.TestAlerts;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;

/** The data-exfiltration runbook through the real SDK clients against local S3, EC2, IAM and STS endpoints. */
class DataExfiltrationResponseTest {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::customer-data/*\"}]}";

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
            + "<createVolumePermission><item><group>all</group></item></createVolumePermission>");
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
            .setBuckets(List.of("customer-data")).setOther(Map.of("snapshotIds", List.of("snap-0abc"), "imageIds", List.of("ami-0def")))
            .build()).build();

        List<ResponseAction> records;
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of())) {
            records = local.responder.respond(alert);
        }
        assertTrue(records.stream().allMatch(r -> r.getStatus() == ActionStatus.EXECUTED), records.toString());
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
        assertEquals("all", AWS.verifyCalled("ModifySnapshotAttribute").param("CreateVolumePermission.Remove.1.Group"));
        assertEquals("444455556666", AWS.verifyCalled("ModifyImageAttribute").param("LaunchPermission.Remove.1.UserId"));
    }
}
