package io.trailhound.connector.guardduty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.trailhound.connector.cloudtrail.LocalTaskRun;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsRequest;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The GuardDuty task through the real SDK against a local REST-JSON endpoint: updates re-emitted once each, samples
 * skipped, findings forwarded byte for byte, and the cursor resumed from a stored offset (issue 3).
 */
class GuardDutySourceTaskIT {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final String T1 = "2024-05-01T10:00:00.000Z";
    private static final String T2 = "2024-05-01T11:30:00.000Z";
    private static final long T2_MILLIS = 1714563000000L;
    private static final Duration QUIET = Duration.ofMillis(1500);

    @Test
    void shouldEmitEachUpdateOnceSkipSamplesAndKeepTheBytes() throws Exception {
        String first = finding("f-1", T1, 1, false);
        String second = finding("f-1", T2, 5, false);
        AWS.stubRestJson("GET", "/detector", 200, "{\"detectorIds\":[\"d-1\"]}");
        AwsOperation.RestJson list = AwsOperation.restJson("POST", "/detector/d-1/findings");
        AwsOperation.RestJson get = AwsOperation.restJson("POST", "/detector/d-1/findings/get");
        AWS.stubSequence(list, list.reply(200, "{\"findingIds\":[\"f-1\",\"f-s\"]}"), list.reply(200, "{\"findingIds\":[\"f-1\"]}"));
        AWS.stubSequence(get, get.reply(200, "{\"findings\":[" + first + ",\n" + finding("f-s", T1, 1, true) + "]}"),
            get.reply(200, "{ \"findings\" : [ " + second + " ] }"));

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(new GuardDutySourceTask(), props(), Map.of())) {
            records = run.pollAndThenQuiet(2, QUIET);
        }

        assertEquals(2, records.size(), records.toString());
        assertArrayEquals(first.getBytes(StandardCharsets.UTF_8), (byte[]) records.get(0).value());
        assertArrayEquals(second.getBytes(StandardCharsets.UTF_8), (byte[]) records.get(1).value());
        assertEquals("f-1", new String((byte[]) records.get(1).key(), StandardCharsets.UTF_8));
        assertEquals(Map.of("updatedAt", T2_MILLIS, "ids", "f-1#5"), records.get(1).sourceOffset());
        List<AwsRequest> lists = AWS.requests("POST /detector/d-1/findings");
        assertTrue(lists.size() >= 3, "expected several listing rounds, got " + lists.size());
        assertTrue(lists.get(lists.size() - 1).body().contains("\"greaterThanOrEqual\":" + T2_MILLIS), lists.get(lists.size() - 1).body());
    }

    @Test
    void shouldResumeFromTheStoredCursorWithoutReEmitting() throws Exception {
        AWS.stubRestJson("GET", "/detector", 200, "{\"detectorIds\":[\"d-1\"]}");
        AWS.stubRestJson("POST", "/detector/d-1/findings", 200, "{\"findingIds\":[\"f-1\",\"f-2\"]}");
        String newer = finding("f-2", "2024-05-01T12:00:00.000Z", 1, false);
        AWS.stubRestJson("POST", "/detector/d-1/findings/get", 200, "{\"findings\":[" + finding("f-1", T2, 5, false) + "," + newer + "]}");
        Map<String, String> partition = new HashMap<>(Map.of("region", "us-east-1", "detector", "d-1"));

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(new GuardDutySourceTask(), props(),
            Map.of(partition, Map.of("updatedAt", T2_MILLIS, "ids", "f-1")))) {
            records = run.pollAndThenQuiet(1, QUIET);
        }

        assertEquals(1, records.size());
        assertArrayEquals(newer.getBytes(StandardCharsets.UTF_8), (byte[]) records.get(0).value());
        assertTrue(AWS.requests("POST /detector/d-1/findings").get(0).body().contains("\"greaterThanOrEqual\":" + T2_MILLIS));
    }

    @Test
    void shouldForwardSamplesWhenConfigured() throws Exception {
        AWS.stubRestJson("GET", "/detector", 200, "{\"detectorIds\":[\"d-1\"]}");
        AWS.stubRestJson("POST", "/detector/d-1/findings", 200, "{\"findingIds\":[\"f-s\"]}");
        AWS.stubRestJson("POST", "/detector/d-1/findings/get", 200, "{\"findings\":[" + finding("f-s", T1, 1, true) + "]}");
        Map<String, String> props = props();
        props.put("include.samples", "true");

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(new GuardDutySourceTask(), props, Map.of())) {
            records = run.pollAndThenQuiet(1, QUIET);
        }

        assertEquals(1, records.size());
    }

    /** Issue 17 item 4: GuardDuty is called on the reader thread; poll() returns within its half second however slow AWS is. */
    @Test
    void shouldKeepPollShortAndStopPromptlyWhileGuardDutyIsSlow() throws Exception {
        AWS.stubRestJson("GET", "/detector", 200, "{\"detectorIds\":[\"d-1\"]}");
        AWS.wireMock().stubFor(AwsOperation.restJson("POST", "/detector/d-1/findings").matcher().willReturn(
            AwsOperation.restJson("POST", "/detector/d-1/findings").reply(200, "{\"findingIds\":[\"f-1\"]}").toResponse()
                .withFixedDelay(4_000)));
        AWS.stubRestJson("POST", "/detector/d-1/findings/get", 200, "{\"findings\":[" + finding("f-1", T1, 1, false) + "]}");

        List<SourceRecord> records = new ArrayList<>();
        long slowest = 0;
        LocalTaskRun run = new LocalTaskRun(new GuardDutySourceTask(), props(), Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (records.isEmpty() && System.nanoTime() < deadline) {
            long start = System.nanoTime();
            List<SourceRecord> batch = run.pollOnce();
            slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
            if (batch != null) {
                records.addAll(batch);
            }
        }
        long stopStart = System.nanoTime();
        run.close();
        long stopMillis = (System.nanoTime() - stopStart) / 1_000_000;

        assertEquals(1, records.size(), "the finding arrived once GuardDuty answered");
        assertTrue(slowest < 1_500, "poll() waited on GuardDuty for " + slowest + " ms");
        assertTrue(stopMillis < 5_500, "stop() took " + stopMillis + " ms");
    }

    @Test
    void shouldReportADeniedListDetectorsFromValidate() {
        AWS.stubRestJsonError("GET", "/detector", 403, "AccessDeniedException", "not authorized to perform: guardduty:ListDetectors");

        Config result = new GuardDutySourceConnector().validate(props());

        List<String> errors = result.configValues().stream().filter(v -> v.name().equals("regions")).findFirst().orElseThrow()
            .errorMessages();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("guardduty:ListDetectors"), errors.get(0));
    }

    @Test
    void shouldPassValidateWhenGuardDutyAnswers() {
        AWS.stubRestJson("GET", "/detector", 200, "{\"detectorIds\":[\"d-1\"]}");

        Config result = new GuardDutySourceConnector().validate(props());

        assertTrue(result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty()), result.configValues().toString());
    }

    @Test
    void shouldReadConfiguredDetectorsWithoutListDetectors() throws Exception {
        AWS.stubRestJson("POST", "/detector/d-admin/findings", 200, "{\"findingIds\":[\"f-1\"]}");
        String only = finding("f-1", T1, 1, false);
        AWS.stubRestJson("POST", "/detector/d-admin/findings/get", 200, "{\"findings\":[" + only + "]}");
        Map<String, String> props = props();
        props.put("detector.ids", "us-east-1:d-admin");

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(new GuardDutySourceTask(), props, Map.of())) {
            records = run.pollAndThenQuiet(1, QUIET);
        }

        assertEquals(1, records.size());
        assertArrayEquals(only.getBytes(StandardCharsets.UTF_8), (byte[]) records.get(0).value());
        assertEquals("d-admin", records.get(0).sourcePartition().get("detector"));
        assertTrue(AWS.requests("POST /detector/d-admin/findings").size() >= 2, "several rounds were read");
        assertEquals(List.of(), AWS.requests("GET /detector"), "ListDetectors is never called for configured detectors");
    }

    @Test
    void shouldValidateConfiguredDetectorsWithGetDetectorAndNameItsPermission() {
        AWS.stubRestJson("GET", "/detector/d-admin", 200, "{\"status\":\"ENABLED\"}");
        AWS.stubRestJsonError("GET", "/detector/d-gone", 403, "AccessDeniedException",
            "not authorized to perform: guardduty:GetDetector");
        Map<String, String> props = props();
        props.put("regions", "us-east-1,eu-west-1");
        props.put("detector.ids", "us-east-1:d-admin,eu-west-1:d-gone");

        Config result = new GuardDutySourceConnector().validate(props);

        List<String> errors = result.configValues().stream().filter(v -> v.name().equals("detector.ids")).findFirst().orElseThrow()
            .errorMessages();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("guardduty:GetDetector") && errors.get(0).contains("d-gone"), errors.get(0));
        assertEquals(2, AWS.requests().size(), "one GetDetector per configured detector: " + AWS.requests());
        assertEquals(List.of(), AWS.requests("GET /detector"), "ListDetectors is not called for configured detectors");
    }

    @Test
    void shouldReportConflictingRoleSettingsOnTheirKeys() {
        Map<String, String> props = props();
        props.put("aws.role.arn.template", "arn:aws:iam::{account}:role/trailhound-reader");
        props.put("detector.ids", "us-east-1:d-admin");

        Config result = new GuardDutySourceConnector().validate(props);

        for (String key : List.of("accounts", "detector.ids")) {
            assertEquals(1, result.configValues().stream().filter(v -> v.name().equals(key)).findFirst().orElseThrow()
                .errorMessages().size(), key);
        }
        assertEquals(List.of(), AWS.requests(), "no AWS call with a configuration that cannot start");
    }

    private static Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put("regions", AWS.region());
        props.put("poll.interval.ms", "200");
        props.put("aws.endpoint.override", AWS.endpoint().toString());
        props.put("aws.access.key.id", AWS.accessKeyId());
        props.put("aws.secret.access.key", AWS.secretAccessKey());
        return props;
    }

    private static String finding(String id, String updatedAt, int count, boolean sample) {
        return "{\"accountId\":\"111122223333\",\"arn\":\"arn:aws:guardduty:us-east-1:111122223333:detector/d-1/finding/" + id + "\","
            + "\"createdAt\":\"" + T1 + "\",\"id\":\"" + id + "\",\"partition\":\"aws\",\"region\":\"us-east-1\","
            + "\"resource\":{\"resourceType\":\"AccessKey\",\"accessKeyDetails\":{\"accessKeyId\":\"AKIAEXAMPLE\",\"userName\":\"bob\"}},"
            + "\"schemaVersion\":\"2.0\",\"service\":{\"serviceName\":\"guardduty\",\"detectorId\":\"d-1\",\"count\":" + count + ","
            + "\"additionalInfo\":{\"value\":\"{\\\"sample\\\":" + sample + "}\",\"type\":\"default\"" + (sample ? ",\"sample\":true" : "")
            + "},\"archived\":false},\"severity\":5.0,\"title\":\"API called from a Tor exit node\","
            + "\"type\":\"UnauthorizedAccess:IAMUser/TorIPCaller\",\"updatedAt\":\"" + updatedAt + "\",\"unknownFutureField\":[1, 2.50]}";
    }
}
