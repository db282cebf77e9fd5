package io.trailhound.detect.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Addresses judged against AWS's published ranges (issue #13: "outside AWS" is a fact, not a /24 guess). */
class AwsIpRangesTest {

    private final AwsIpRanges ranges = AwsIpRanges.builtIn();

    @Test
    void shouldKnowEc2AddressesAndTheirRegionFromTheBundledFile() {
        assertEquals(AddressClass.AWS_EC2, ranges.classify("52.1.2.3"));
        assertEquals("us-east-1", ranges.lookup("52.1.2.3").ec2Region());
        assertEquals(AddressClass.AWS_EC2, ranges.classify("3.80.7.7"));
        assertEquals("eu-west-1", ranges.lookup("54.247.1.1").ec2Region());
        assertTrue(ranges.createDate().startsWith("20"), ranges.createDate());
    }

    @Test
    void shouldTellOutsideAwsPrivateAndServiceSources() {
        assertEquals(AddressClass.OUTSIDE_AWS, ranges.classify("198.51.100.66"));
        assertEquals(AddressClass.OUTSIDE_AWS, ranges.classify("203.0.113.5"));
        assertEquals(AddressClass.OUTSIDE_AWS, ranges.classify("8.8.8.8"));
        assertEquals(AddressClass.PRIVATE, ranges.classify("10.0.3.17"));
        assertEquals(AddressClass.PRIVATE, ranges.classify("172.31.0.9"));
        assertEquals(AddressClass.PRIVATE, ranges.classify("fd12:3456::1"));
        assertEquals(AddressClass.AWS_SERVICE, ranges.classify("ec2.amazonaws.com"));
        assertEquals(AddressClass.AWS_SERVICE, ranges.classify("AWS Internal"));
        assertEquals(AddressClass.NONE, ranges.classify(null));
        assertEquals(AddressClass.NONE, ranges.classify("not an address"));
        assertEquals(AddressClass.NONE, ranges.classify("1.2.3.999"));
    }

    @Test
    void shouldJudgeIpv6AddressesToo() {
        assertEquals(AddressClass.OUTSIDE_AWS, ranges.classify("2001:db8::1"));
        assertEquals(AddressClass.AWS_EC2, ranges.classify("2600:1f18:1234:5600::10"));
    }

    @Test
    void shouldReadAFresherFileGivenByTheOperator(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ip-ranges.json");
        Files.writeString(file, """
                {"syncToken": "1", "createDate": "2030-01-01-00-00-00",
                 "prefixes": [
                   {"ip_prefix": "198.51.100.0/24", "region": "eu-north-1", "service": "AMAZON", "network_border_group": "eu-north-1"},
                   {"ip_prefix": "198.51.100.0/25", "region": "eu-north-1", "service": "EC2", "network_border_group": "eu-north-1"}],
                 "ipv6_prefixes": []}""", StandardCharsets.UTF_8);
        AwsIpRanges custom = AwsIpRanges.read(file);
        assertEquals("2030-01-01-00-00-00", custom.createDate());
        assertEquals(AddressClass.AWS_EC2, custom.classify("198.51.100.66"));
        assertEquals(AddressClass.AWS, custom.classify("198.51.100.200"));
        assertEquals(AddressClass.OUTSIDE_AWS, custom.classify("52.1.2.3"));
    }

    @Test
    void shouldRefuseADocumentThatIsNotAnIpRangesFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("wrong.json");
        Files.writeString(file, "{\"hello\": 1}", StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> AwsIpRanges.read(file));
    }

    @Test
    void shouldLearnMemberAccountsOnlyFromOrganizationTrailKeys() {
        assertEquals("222222222222", Organization.accountOfOrganizationTrailKey(
                "AWSLogs/o-abc123defg/222222222222/CloudTrail/us-east-1/2026/10/01/222222222222_CloudTrail_us-east-1_x.json.gz"));
        assertEquals(null, Organization.accountOfOrganizationTrailKey("AWSLogs/222222222222/CloudTrail/us-east-1/x.json.gz"));
        Organization org = new Organization(java.util.List.of("111111111111"));
        assertTrue(org.learn("222222222222"));
        assertTrue(org.isMember("222222222222"));
        assertTrue(org.isOutside("999999999999", "111111111111"));
        assertTrue(!org.isOutside("222222222222", "111111111111"));
    }
}
