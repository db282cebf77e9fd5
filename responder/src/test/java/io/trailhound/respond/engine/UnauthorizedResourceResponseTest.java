package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.runbook.UnauthorizedResourceCreation;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;

/** Unauthorized resource creation acts on each launched instance in its own region (the alert's instanceRegions). */
class UnauthorizedResourceResponseTest {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([a-z0-9-]+)/([a-z0-9]+)/aws4_request");

    @Test
    void shouldTagAndStopEveryInstanceInTheRegionTheAlertNamesForIt() {
        for (String id : List.of("i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2")) {
            // the stub does not apply CreateTags: it describes the instance carrying the incident tag the first step sets, which
            // stopping needs (#19)
            AWS.stubQuery(AwsQueryService.EC2, "DescribeInstances", Map.of("InstanceId.1", id), "<reservationSet><item>"
                + "<reservationId>r-1</reservationId><instancesSet><item><instanceId>" + id + "</instanceId><instanceState><code>16</code>"
                + "<name>running</name></instanceState><tagSet><item><key>trailhound:incident</key><value>inc-1</value></item></tagSet>"
                + "</item></instancesSet></item></reservationSet>");
        }
        AWS.stubQuery(AwsQueryService.EC2, "CreateTags", "<return>true</return>");
        AWS.stubQuery(AwsQueryService.EC2, "StopInstances", "<instancesSet/>");
        Alert alert = TestAlerts.instance().setRunbook(UnauthorizedResourceCreation.ID).setEntities(Entities.newBuilder()
            .setInstanceIds(List.of("i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2"))
            .setInstanceRegions(Map.of("i-0bbbbbbbbbbbbbbb2", "eu-west-1")).build()).build();

        List<ResponseAction> records;
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of())) {
            records = local.responder.respond(alert);
        }
        List<AwsRequest> stops = AWS.verifyCalled("StopInstances", 2);
        assertEquals("i-0aaaaaaaaaaaaaaa1@us-east-1", stops.get(0).param("InstanceId.1") + "@" + region(stops.get(0)));
        assertEquals("i-0bbbbbbbbbbbbbbb2@eu-west-1", stops.get(1).param("InstanceId.1") + "@" + region(stops.get(1)));
        for (AwsRequest tag : AWS.verifyCalled("CreateTags", 2)) {
            assertEquals(tag.param("ResourceId.1").endsWith("2") ? "eu-west-1" : "us-east-1", region(tag));
        }
        ResponseAction terminate = records.stream().filter(r -> r.getAwsAction().equals("ec2:TerminateInstances")
            && r.getResource().endsWith("i-0bbbbbbbbbbbbbbb2")).findFirst().orElseThrow();
        assertEquals("eu-west-1", terminate.getRegion());
        assertTrue(terminate.getResource().startsWith("arn:aws:ec2:eu-west-1:111122223333:instance/"), terminate.getResource());
        assertEquals(ActionStatus.AWAITING_APPROVAL, terminate.getStatus());
        assertTrue(AWS.requests("TerminateInstances").isEmpty());
    }

    @Test
    void shouldNotStopAnInstanceThatCarriesNoIncidentTag() {
        String id = "i-0ccccccccccccccc3";
        // CreateTags failed silently or the tag was removed: the instance is described without it
        AWS.stubQuery(AwsQueryService.EC2, "DescribeInstances", Map.of("InstanceId.1", id), "<reservationSet><item>"
            + "<reservationId>r-1</reservationId><instancesSet><item><instanceId>" + id + "</instanceId><instanceState><code>16</code>"
            + "<name>running</name></instanceState></item></instancesSet></item></reservationSet>");
        AWS.stubQuery(AwsQueryService.EC2, "CreateTags", "<return>true</return>");
        AWS.stubQuery(AwsQueryService.EC2, "StopInstances", "<instancesSet/>");
        Alert alert = TestAlerts.instance().setRunbook(UnauthorizedResourceCreation.ID).setEntities(Entities.newBuilder()
            .setInstanceIds(List.of(id)).build()).build();

        List<ResponseAction> records;
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of())) {
            records = local.responder.respond(alert);
        }
        assertTrue(AWS.requests("StopInstances").isEmpty(), "the member role's policy would refuse it; the responder does not try");
        ResponseAction stop = records.stream().filter(r -> r.getAwsAction().equals("ec2:StopInstances")).findFirst().orElseThrow();
        assertEquals(ActionStatus.FAILED, stop.getStatus());
        assertEquals("NotQuarantined", stop.getErrorCode());
    }

    /** The region the SDK signed the request for (SigV4 credential scope). */
    private static String region(AwsRequest request) {
        Matcher m = SCOPE.matcher(request.header("Authorization"));
        assertTrue(m.find(), request.header("Authorization"));
        assertEquals("ec2", m.group(2));
        return m.group(1);
    }
}
