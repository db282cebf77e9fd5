package io.trailhound.respond.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;

/** Incident notifications over SNS and a webhook: once per incident state, never blocking containment. */
class NotificationResponseTest {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final String TOPIC = "arn:aws:sns:eu-west-1:111122223333:soc";

    @BeforeEach
    void stubIam() {
        AWS.stubQuery(AwsQueryService.IAM, "ListAccessKeys", "<AccessKeyMetadata><member><UserName>mallory</UserName>"
            + "<AccessKeyId>AKIAEXAMPLEKEY1</AccessKeyId><Status>Active</Status></member></AccessKeyMetadata>"
            + "<IsTruncated>false</IsTruncated>");
        AWS.stubQuery(AwsQueryService.IAM, "UpdateAccessKey", "");
        AWS.stubQueryError(AwsQueryService.IAM, "GetUserPolicy", 404, "NoSuchEntity", "none");
        AWS.stubQuery(AwsQueryService.IAM, "PutUserPolicy", "");
        AWS.stubQuery(AwsQueryService.IAM, "DeleteLoginProfile", "");
        AWS.stubQuery(AwsQueryService.IAM, "ListSSHPublicKeys", "<SSHPublicKeys/><IsTruncated>false</IsTruncated>");
        AWS.stubQuery(AwsQueryService.IAM, "ListServiceSpecificCredentials", "<ServiceSpecificCredentials/>");
        AWS.stubQuery(AwsQueryService.IAM, "ListSigningCertificates", "<Certificates/><IsTruncated>false</IsTruncated>");
    }

    @Test
    void shouldNotifyOnceBySnsAndWebhookInTheTopicsRegion() {
        QueryStubs.SNS.stub(AWS.wireMock(), "Publish", "<MessageId>m-1</MessageId>");
        AWS.wireMock().stubFor(post("/hooks/soc").willReturn(aResponse().withStatus(204)));
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of(ResponderConfig.NOTIFICATION_TOPIC_CONFIG, TOPIC,
                ResponderConfig.NOTIFICATION_WEBHOOK_CONFIG, AWS.endpoint() + "/hooks/soc"))) {
            List<ResponseAction> records = local.responder.respond(TestAlerts.iamUser().build());
            local.responder.respond(TestAlerts.iamUser().build());
            assertEquals(List.of("sns:Publish", "trailhound:PostWebhook"), records.subList(records.size() - 2, records.size()).stream()
                .map(ResponseAction::getAwsAction).toList());
            assertTrue(records.stream().allMatch(r -> r.getStatus() == ActionStatus.EXECUTED), records.toString());
        }
        AwsRequest publish = AWS.verifyCalled("Publish", 1).get(0);
        assertTrue(publish.header("Authorization").contains("/eu-west-1/sns/aws4_request"), publish.header("Authorization"));
        assertTrue(publish.param("Subject").startsWith("Trailhound iam-user-compromise inc-1: 7 executed, 0 awaiting approval"),
            publish.param("Subject"));
        assertTrue(publish.param("Message").contains("\"action\":\"iam:UpdateAccessKey\""), publish.param("Message"));
        List<AwsRequest> hooks = AWS.requests().stream().filter(r -> r.path().equals("/hooks/soc")).toList();
        assertEquals(1, hooks.size(), "a re-delivered alert with nothing new notifies nobody");
        assertEquals(publish.param("Message"), hooks.get(0).body());
    }

    @Test
    void shouldContainEvenWhenSnsFails() {
        AWS.wireMock().stubFor(post(anyUrl()).withFormParam("Action", equalTo("Publish")).willReturn(aResponse().withStatus(403)
            .withHeader("Content-Type", "text/xml").withBody("<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code>"
                + "<Message>not allowed</Message></Error><RequestId>r-1</RequestId></ErrorResponse>")));
        List<ResponseAction> records;
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of(ResponderConfig.NOTIFICATION_TOPIC_CONFIG, TOPIC))) {
            records = local.responder.respond(TestAlerts.iamUser().build());
        }
        ResponseAction notify = records.get(records.size() - 1);
        assertEquals(ActionStatus.FAILED, notify.getStatus());
        assertEquals("AuthorizationError", notify.getErrorCode());
        assertTrue(records.subList(0, records.size() - 1).stream().allMatch(r -> r.getStatus() == ActionStatus.EXECUTED),
            records.toString());
        AWS.verifyCalled("PutUserPolicy", 1);
    }
}
