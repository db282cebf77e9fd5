package io.trailhound.detect.baseline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.detect.rules.EventView;
import io.trailhound.serde.TrustedAvroClasses;

/** The per-principal baseline: dimensions, learning period, and the caps that keep its state bounded. */
class PrincipalBaselineTest {

    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    @BeforeAll
    static void trustOurAvroClasses() {
        TrustedAvroClasses.install();
    }

    @Test
    void shouldReduceAddressesToNetworksAndUserAgentsToFamilies() {
        assertEquals("203.0.113.0/24", BaselineDimension.network("203.0.113.77"));
        assertEquals("2001:db8:85a3::/48", BaselineDimension.network("2001:db8:85a3:8d3:1319:8a2e:370:7348"));
        assertNull(BaselineDimension.network("cloudformation.amazonaws.com"));
        assertEquals("1.2.3.0/24", BaselineDimension.network("1.2.3.4"));
        for (String notV4 : List.of("10.0.0", "1.2.3.4.5", "1234.1.1.1", "1.2.3.", ".1.2.3", "1..2.3", "1.2.3.4 ", "AWS Internal", "")) {
            assertNull(BaselineDimension.network(notV4), notV4);
        }
        assertNull(BaselineDimension.family("["));
        assertEquals("console.amazonaws.com", BaselineDimension.family("console.amazonaws.com"));
        assertEquals("aws-sdk-java", BaselineDimension.family("  aws-sdk-java/2.20 Linux"));
        assertEquals("aws-cli", BaselineDimension.family("[aws-cli/1.18.136 Python/3.8.5 Linux/5.4]"));
        assertEquals("boto3", BaselineDimension.family("Boto3/1.26.2 Python/3.10.8"));
        assertEquals("mozilla", BaselineDimension.family("Mozilla/5.0 (Macintosh)"));
        // issue #13: AWS acting for the principal (the sign-in service switching roles) is no client of its own
        assertNull(BaselineDimension.family("AWS Signin, aws-internal/3 aws-sdk-java/1.12.772 Linux/5.10"));
        assertNull(BaselineDimension.family("AWS Internal"));
        assertNull(BaselineDimension.family("[aws-internal/3 aws-sdk-java/1.12.772]"));
        assertEquals("sourceNetwork", BaselineDimension.SOURCE_NETWORK.id());
        assertEquals(BaselineDimension.TARGET_ACCOUNT, BaselineDimension.of("targetAccount"));
    }

    @Test
    void shouldReportNothingWhileLearningAndNewValuesAfterwards() {
        PrincipalBaseline b = PrincipalBaseline.startingAt(T0);
        assertTrue(b.observe(view(T0, "198.51.100.1", "us-east-1"), Duration.ofDays(7)).isEmpty());
        assertTrue(b.observe(view(T0.plus(Duration.ofDays(2)), "203.0.113.9", "eu-west-1"), Duration.ofDays(7)).isEmpty());
        List<PrincipalBaseline.Novelty> later = b.observe(view(T0.plus(Duration.ofDays(8)), "192.0.2.1", "eu-west-1"), Duration.ofDays(7));
        assertEquals(List.of(BaselineDimension.SOURCE_NETWORK), later.stream().map(PrincipalBaseline.Novelty::dimension).toList());
        assertTrue(later.get(0).context().contains("8 days of history"), later.get(0).context());
        PrincipalBaseline copy = PrincipalBaseline.read(b.write());
        assertTrue(copy.observe(view(T0.plus(Duration.ofDays(9)), "192.0.2.200", "us-east-1"), Duration.ofDays(7)).isEmpty(),
                "the stored form remembers what was learned");
        assertEquals(T0, copy.firstSeen());
    }

    @Test
    void shouldCapValuesPerDimensionAndForgetOldOnes() {
        PrincipalBaseline b = PrincipalBaseline.startingAt(T0);
        for (int i = 0; i < PrincipalBaseline.CAP + 10; i++) {
            b.observe(view(T0.plus(Duration.ofMinutes(i)), "10.0." + i + ".1", "us-east-1"), Duration.ofDays(7));
        }
        PrincipalBaseline stored = PrincipalBaseline.read(b.write());
        assertEquals(PrincipalBaseline.CAP, stored.known(BaselineDimension.SOURCE_NETWORK).size());
        assertTrue(!stored.known(BaselineDimension.SOURCE_NETWORK).contains("10.0.0.0/24"), "the least recently seen network was evicted");
        assertTrue(stored.known(BaselineDimension.SOURCE_NETWORK).contains("10.0." + (PrincipalBaseline.CAP + 9) + ".0/24"));
        b.observe(view(T0.plus(Duration.ofDays(120)), "10.9.9.9", "us-east-1"), Duration.ofDays(7));
        assertEquals(Set.of("10.9.9.0/24"), PrincipalBaseline.read(b.write()).known(BaselineDimension.SOURCE_NETWORK),
                "values unseen for 90 days are forgotten");
    }

    @Test
    void shouldLearnCalledApisButNotReadOnlyOnes() {
        PrincipalBaseline b = PrincipalBaseline.startingAt(T0);
        b.observe(api(T0, "DescribeInstances", true), Duration.ofDays(7));
        b.observe(api(T0.plus(Duration.ofDays(1)), "SendCommand", false), Duration.ofDays(7));
        List<PrincipalBaseline.Novelty> later = b.observe(api(T0.plus(Duration.ofDays(8)), "StartSession", false), Duration.ofDays(7));
        assertEquals(List.of("ssm:StartSession"), later.stream().filter(n -> n.dimension() == BaselineDimension.API_CALLED)
                .map(PrincipalBaseline.Novelty::value).toList());
        assertTrue(b.observe(api(T0.plus(Duration.ofDays(9)), "SendCommand", false), Duration.ofDays(7)).stream()
                .noneMatch(n -> n.dimension() == BaselineDimension.API_CALLED), "known API");
        assertEquals(Set.of("ssm:SendCommand", "ssm:StartSession"), b.known(BaselineDimension.API_CALLED),
                "read-only calls are not kept");
    }

    @Test
    void shouldBecomeIdleAfterNinetyDaysWithoutActivity() {
        PrincipalBaseline b = PrincipalBaseline.startingAt(T0);
        b.observe(view(T0.plus(Duration.ofDays(3)), "198.51.100.1", "us-east-1"), Duration.ofDays(7));
        PrincipalBaseline stored = PrincipalBaseline.read(b.write());
        assertEquals(T0.plus(Duration.ofDays(3)), stored.lastSeen());
        assertTrue(!stored.idleAt(T0.plus(Duration.ofDays(92)).toEpochMilli()), "89 days idle");
        assertTrue(stored.idleAt(T0.plus(Duration.ofDays(94)).toEpochMilli()), "91 days idle");
    }

    @Test
    void shouldChangeOnlyForNewValuesOrTimesMovedByTheResolution() {
        PrincipalBaseline b = PrincipalBaseline.startingAt(T0);
        assertTrue(b.changed(), "a new baseline must be stored");
        b.observe(view(T0, "198.51.100.1", "us-east-1"), Duration.ofDays(7));
        assertTrue(b.changed(), "first values");
        b.observe(view(T0.plus(Duration.ofMinutes(20)), "198.51.100.7", "us-east-1"), Duration.ofDays(7));
        assertTrue(!b.changed(), "same network, region and client within the hour: nothing to store");
        b.observe(view(T0.plus(Duration.ofMinutes(30)), "198.51.100.7", "eu-west-1"), Duration.ofDays(7));
        assertTrue(b.changed(), "a new region");
        b.observe(view(T0.plus(Duration.ofMinutes(59)), "198.51.100.7", "eu-west-1"), Duration.ofDays(7));
        assertTrue(!b.changed());
        b.observe(view(T0.plus(Duration.ofMinutes(61)), "198.51.100.7", "eu-west-1"), Duration.ofDays(7));
        assertTrue(b.changed(), "an hour later the last-seen times move");
        PrincipalBaseline copy = PrincipalBaseline.read(b.write());
        assertEquals(T0.plus(Duration.ofMinutes(61)), copy.lastSeen());
        assertEquals(Set.of("us-east-1", "eu-west-1"), copy.known(BaselineDimension.REGION));
        assertTrue(!copy.changed(), "a baseline read back has nothing new to store");
    }

    @Test
    void shouldKeepInMemoryExactlyWhatReadingTheStoredBytesGives() {
        // one baseline kept in memory (asRead after each write), one read back from its bytes before every event, as the
        // detect processor did: both must write the same bytes after every event, evictions of equally old values included
        PrincipalBaseline kept = PrincipalBaseline.startingAt(T0);
        byte[] stored = kept.write();
        kept.asRead();
        for (int i = 0; i < 400; i++) {
            // several calls per second (CloudTrail's resolution), more API names than the cap, some seen again
            Instant time = T0.plus(Duration.ofDays(8)).plusSeconds(i / 3 * 3700L);
            EventView event = api(time, "Put" + (i * 7 % 61), false);
            PrincipalBaseline fresh = PrincipalBaseline.read(stored);
            List<PrincipalBaseline.Novelty> freshNovel = fresh.observe(event, Duration.ofDays(7));
            List<PrincipalBaseline.Novelty> keptNovel = kept.observe(event, Duration.ofDays(7));
            assertEquals(freshNovel, keptNovel, "event " + i);
            assertEquals(fresh.changed(), kept.changed(), "event " + i);
            if (fresh.changed()) {
                stored = fresh.write();
                assertArrayEquals(stored, kept.write(), "event " + i);
                kept.asRead();
            }
            assertEquals(T0.plus(Duration.ofDays(8)).plusSeconds(i / 3 * 3700L).toEpochMilli() - PrincipalBaseline.lastSeenOf(stored)
                    < Duration.ofHours(1).toMillis(), true);
        }
        assertEquals(PrincipalBaseline.CAP, kept.known(BaselineDimension.API_CALLED).size());
    }

    @Test
    void shouldReadTheLastSeenTimeFromTheHeader() {
        PrincipalBaseline b = PrincipalBaseline.startingAt(T0);
        b.observe(view(T0.plus(Duration.ofHours(5)), "198.51.100.7", "us-east-1"), Duration.ofDays(7));
        assertEquals(b.lastSeen().toEpochMilli(), PrincipalBaseline.lastSeenOf(b.write()));
        assertThrows(IllegalArgumentException.class, () -> PrincipalBaseline.lastSeenOf(new byte[] {9, 1}));
        assertThrows(IllegalArgumentException.class, () -> PrincipalBaseline.lastSeenOf(new byte[] {2}));
    }

    @Test
    void shouldRejectBytesThatAreNotABaseline() {
        assertThrows(IllegalArgumentException.class, () -> PrincipalBaseline.read("{\"firstSeen\":1}".getBytes(UTF_8)));
        byte[] good = PrincipalBaseline.startingAt(T0).write();
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        assertThrows(IllegalArgumentException.class, () -> PrincipalBaseline.read(truncated));
    }

    private static EventView api(Instant time, String name, boolean readOnly) {
        Principal p = Principal.newBuilder().setType(PrincipalType.IAMUser).setPrincipalKey("1/arn:aws:iam::1:user/u").build();
        return new EventView(CloudTrailEvent.newBuilder().setEventId("e-" + time.toEpochMilli()).setEventTime(time)
                .setEventName(name).setEventSource(readOnly ? "ec2.amazonaws.com" : "ssm.amazonaws.com").setReadOnly(readOnly)
                .setAwsRegion("us-east-1").setPrincipal(p).setSourceIpAddress("198.51.100.1").setUserAgent("aws-cli/2.15.0").build());
    }

    private static EventView view(Instant time, String ip, String region) {
        Principal p = Principal.newBuilder().setType(PrincipalType.IAMUser).setPrincipalKey("1/arn:aws:iam::1:user/u").build();
        return new EventView(CloudTrailEvent.newBuilder().setEventId("e-" + time.toEpochMilli()).setEventTime(time)
                .setEventName("DescribeInstances").setAwsRegion(region).setPrincipal(p).setSourceIpAddress(ip)
                .setUserAgent("aws-cli/2.15.0").build());
    }
}
