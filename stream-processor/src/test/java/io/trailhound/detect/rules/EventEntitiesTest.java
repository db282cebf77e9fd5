package io.trailhound.detect.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Entities;
import io.trailhound.detect.normalize.Normalized;
import io.trailhound.detect.normalize.PrincipalResolver;
import io.trailhound.detect.normalize.RecordNormalizer;

class EventEntitiesTest {

    private static final RecordNormalizer NORMALIZER = new RecordNormalizer(new PrincipalResolver(List.of()), 1_048_576);
    private static final String USER = "\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":\"111122223333\","
            + "\"arn\":\"arn:aws:iam::111122223333:user/alice\",\"userName\":\"alice\",\"accessKeyId\":\"AKIAEXAMPLE000000001\"}";

    @Test
    void shouldNameTheInstanceAnSsmSessionOpensOn() {
        Entities entities = entities("ssm.amazonaws.com", "StartSession", "{\"target\":\"i-047fce8bf4806e5ee\"}");

        assertEquals(List.of("i-047fce8bf4806e5ee"), entities.getInstanceIds());
        assertEquals(List.of("AKIAEXAMPLE000000001"), entities.getAccessKeyIds());
        assertEquals(List.of("alice"), entities.getUserNames());
    }

    @Test
    void shouldNameEveryInstanceACommandTargetsByIdButNoTagTarget() {
        Entities byIds = entities("ssm.amazonaws.com", "SendCommand",
                "{\"instanceIds\":[\"i-0aaaaaaaaaaaaaaa1\",\"mi-0bbbbbbbbbbbbbbb2\"],\"documentName\":\"AWS-RunShellScript\"}");
        Entities byTargets = entities("ssm.amazonaws.com", "SendCommand", "{\"targets\":[{\"key\":\"InstanceIds\","
                + "\"values\":[\"i-0ccccccccccccccc3\"]},{\"key\":\"tag:Env\",\"values\":[\"prod\"]}]}");

        assertEquals(List.of("i-0aaaaaaaaaaaaaaa1"), byIds.getInstanceIds());
        assertEquals(Map.of(EventEntities.MANAGED_INSTANCES, List.of("mi-0bbbbbbbbbbbbbbb2")), byIds.getOther());
        assertEquals(List.of("i-0ccccccccccccccc3"), byTargets.getInstanceIds());
    }

    @Test
    void shouldNotTakeAnotherServicesTargetForAnInstance() {
        Entities session = entities("ssm.amazonaws.com", "StartSession", "{\"target\":\"arn:aws:ecs:us-east-1:111122223333:task/x\"}");
        Entities other = entities("example.amazonaws.com", "Invoke", "{\"target\":\"i-047fce8bf4806e5ee\"}");

        assertEquals(List.of(), session.getInstanceIds());
        assertEquals(List.of(), other.getInstanceIds());
    }

    private static Entities entities(String source, String name, String requestParameters) {
        String raw = "{\"eventVersion\":\"1.09\",\"eventID\":\"e-" + name + requestParameters.hashCode() + "\",\"eventTime\":"
                + "\"2024-05-01T10:00:00Z\",\"eventSource\":\"" + source + "\",\"eventName\":\"" + name + "\",\"awsRegion\":"
                + "\"us-east-1\",\"sourceIPAddress\":\"198.51.100.7\"," + USER + ",\"requestParameters\":" + requestParameters
                + ",\"recipientAccountId\":\"111122223333\"}";
        Normalized n = NORMALIZER.normalize(raw.getBytes(StandardCharsets.UTF_8));
        return EventEntities.of(new EventView(assertInstanceOf(Normalized.Event.class, n).event()));
    }
}
