package io.trailhound.connector.cloudtrail;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.S3Endpoint;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The listing mode of the log-file source under the connectors' failure model (issue 17 item 4), through the real S3
 * client: S3Mock behind a WireMock proxy that answers chosen calls with S3's XML errors. A file listed but deleted before
 * it was read is dead-lettered while the rest flows; a denied listing fails the task naming s3:ListBucket on the bucket.
 */
class ListingFailuresIT {

    @RegisterExtension
    static final S3Endpoint S3 = new S3Endpoint();

    @RegisterExtension
    static final AwsEndpointExtension S3_FRONT = new AwsEndpointExtension();

    @BeforeEach
    void proxyToS3Mock() {
        S3_FRONT.wireMock().stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(S3.endpoint().toString())));
    }

    @Test
    void shouldDeadLetterAFileDeletedBetweenItsListingAndItsReadAndGoOn() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of("666666666666"), List.of("us-east-1"), LocalDate.of(2024, 5, 1), 1, 3, 4);
        S3.createBucket("listed-trail");
        trail.putTo(S3, "listed-trail", "");
        List<String> keys = new ArrayList<>(trail.eventIdsByKey().keySet());
        String gone = keys.get(1);
        S3_FRONT.wireMock().stubFor(get(urlPathEqualTo("/listed-trail/" + gone)).atPriority(1).willReturn(aResponse().withStatus(404)
            .withHeader("Content-Type", "application/xml").withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey"
                + "</Code><Message>The specified key does not exist.</Message><Key>" + gone + "</Key></Error>")));

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(props("listed-trail"), Map.of())) {
            records = run.poll(9, Duration.ofSeconds(60));
            records.addAll(run.pollUntilQuiet(Duration.ofSeconds(1)));
        }

        List<SourceRecord> dead = records.stream().filter(r -> r.topic().equals("lf.dead")).toList();
        assertEquals(1, dead.size(), records.toString());
        assertEquals("s3://listed-trail/" + gone, dead.get(0).headers().lastWithName("location").value());
        String reason = (String) dead.get(0).headers().lastWithName("reason").value();
        assertTrue(reason.startsWith("listed but deleted before it was read") && reason.contains("NoSuchKey"), reason);
        assertEquals(Map.of("key", gone, "index", -1L, "eof", true), Map.of("key", dead.get(0).sourceOffset().get("key"),
            "index", ((Number) dead.get(0).sourceOffset().get("index")).longValue(), "eof", dead.get(0).sourceOffset().get("eof")),
            "the offset moves past the missing file");
        Set<String> expected = new HashSet<>(trail.eventIdsByKey().get(keys.get(0)));
        expected.addAll(trail.eventIdsByKey().get(keys.get(2)));
        assertEquals(expected, records.stream().filter(r -> r.topic().equals("lf.raw"))
            .map(r -> new String((byte[]) r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet()));
        assertEquals(8, records.size() - 1, "each readable event once");
    }

    @Test
    void shouldFailTheTaskNamingListBucketWhenTheListingIsDenied() throws Exception {
        S3.createBucket("unlisted-trail");
        S3_FRONT.wireMock().stubFor(get(urlPathEqualTo("/unlisted-trail/")).atPriority(1).willReturn(aResponse().withStatus(403)
            .withHeader("Content-Type", "application/xml").withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + "AccessDenied</Code><Message>Access Denied</Message><RequestId>R1</RequestId></Error>")));
        S3_FRONT.wireMock().stubFor(get(urlPathEqualTo("/unlisted-trail")).atPriority(1).willReturn(aResponse().withStatus(403)
            .withHeader("Content-Type", "application/xml").withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + "AccessDenied</Code><Message>Access Denied</Message><RequestId>R2</RequestId></Error>")));

        ConnectException failure = null;
        try (LocalTaskRun run = new LocalTaskRun(props("unlisted-trail"), Map.of())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (failure == null && System.nanoTime() < deadline) {
                try {
                    run.pollOnce();
                } catch (ConnectException e) {
                    failure = e;
                }
            }
        }

        assertNotNull(failure, "the task did not fail");
        assertTrue(failure.getMessage().startsWith("s3:ListBucket on arn:aws:s3:::unlisted-trail denied (AccessDenied)"),
            failure.getMessage());
    }

    private static Map<String, String> props(String bucket) {
        Map<String, String> props = new HashMap<>();
        props.put("location", "s3://" + bucket);
        props.put("topic", "lf.raw");
        props.put("deadletter.topic", "lf.dead");
        props.put("poll.interval.ms", "300");
        props.put("aws.endpoint.override", S3_FRONT.endpoint().toString());
        props.put("aws.region", S3.region());
        props.put("aws.access.key.id", S3.accessKeyId());
        props.put("aws.secret.access.key", S3.secretAccessKey());
        props.put("s3.path.style.access", "true");
        props.put("retry.backoff.base.ms", "50");
        props.put("retry.backoff.max.ms", "400");
        return props;
    }
}
