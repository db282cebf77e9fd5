package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.TypeConversionException;

class ReplayFilterTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode record(String ip, String eventName, String errorCode) throws Exception {
        return MAPPER.readTree("{\"eventTime\":\"2026-11-02T10:00:00Z\",\"eventName\":\"" + eventName + "\",\"sourceIPAddress\":\"" + ip
            + "\"" + (errorCode == null ? "" : ",\"errorCode\":\"" + errorCode + "\"") + ",\"userIdentity\":{\"accessKeyId\":\"AKIA1\","
            + "\"arn\":\"arn:aws:sts::1:assumed-role/Admin/s\","
            + "\"sessionContext\":{\"sessionIssuer\":{\"arn\":\"arn:aws:iam::1:role/Admin\"}}}}");
    }

    @Test
    void shouldMatchCidrBlocksOfBothFamiliesAndNeverServiceNames() {
        ReplayFilter.Cidr v4 = ReplayFilter.Cidr.parse("10.1.0.0/16");
        assertTrue(v4.contains("10.1.255.3"));
        assertFalse(v4.contains("10.2.0.1"));
        assertFalse(v4.contains("ec2.amazonaws.com"), "a service name is no address and triggers no DNS lookup");
        assertFalse(v4.contains("2001:db8::1"));
        ReplayFilter.Cidr v6 = ReplayFilter.Cidr.parse("2001:db8::/32");
        assertTrue(v6.contains("2001:db8:ffff::1"));
        assertFalse(v6.contains("2001:db9::1"));
        assertTrue(ReplayFilter.Cidr.parse("0.0.0.0/0").contains("198.51.100.7"));
        assertThrows(IllegalArgumentException.class, () -> ReplayFilter.Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> ReplayFilter.Cidr.parse("example.com"));
    }

    @Test
    void shouldAndTheCriteriaAndOrTheAlternatives() throws Exception {
        ReplayFilter f = new ReplayFilter("AKIA1", "role/Admin", "203.0.113.0/24", List.of("Get*", "ListBuckets"), null);
        assertTrue(f.matches(record("203.0.113.9", "GetObject", null)));
        assertTrue(f.matches(record("203.0.113.9", "ListBuckets", null)));
        assertFalse(f.matches(record("203.0.113.9", "ListBucketsV2", null)), "globs match the whole name");
        assertFalse(f.matches(record("198.51.100.1", "GetObject", null)));
        assertFalse(new ReplayFilter("AKIA2", null, null, null, null).matches(record("203.0.113.9", "GetObject", null)));
        assertFalse(new ReplayFilter(null, "user/alice", null, null, null).matches(record("203.0.113.9", "GetObject", null)));
        ReplayFilter anyError = new ReplayFilter(null, null, null, null, List.of("*"));
        assertTrue(anyError.matches(record("1.2.3.4", "GetObject", "AccessDenied")));
        assertFalse(anyError.matches(record("1.2.3.4", "GetObject", null)));
    }

    @Test
    void shouldReadTimesAsInstantsDatesOrDurationsAgo() {
        ReplayTime time = new ReplayTime(Clock.fixed(Instant.parse("2026-11-02T12:00:00Z"), ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-11-02T11:00:00Z"), time.convert("PT1H"));
        assertEquals(Instant.parse("2026-10-31T12:00:00Z"), time.convert("P2D"));
        assertEquals(Instant.parse("2026-11-02T11:30:00Z"), time.convert("30m"));
        assertEquals(Instant.parse("2026-11-02T00:00:00Z"), time.convert("2026-11-02"));
        assertEquals(Instant.parse("2026-11-02T09:00:00Z"), time.convert("2026-11-02T10:00:00+01:00"));
        assertEquals(Instant.parse("2026-11-02T12:00:00Z"), time.convert("now"));
        assertThrows(TypeConversionException.class, () -> time.convert("yesterday"));
    }
}
