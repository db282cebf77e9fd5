package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class TrailKeyTest {

    @Test
    void shouldParseAnOrganizationTrailKey() {
        TrailKey key = TrailKey.parse("trails/", "trails/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-central-1/2024/02/29/"
            + "111122223333_CloudTrail_eu-central-1_20240229T2355Z_Ab12Cd34.json.gz").orElseThrow();

        assertEquals("o-a1b2c3d4e5", key.orgId());
        assertEquals("111122223333", key.account());
        assertEquals("eu-central-1", key.region());
        assertEquals(LocalDate.of(2024, 2, 29), key.date());
        assertEquals("111122223333_CloudTrail_eu-central-1_20240229T2355Z_Ab12Cd34.json.gz", key.fileName());
    }

    @Test
    void shouldParseAnAccountTrailKeyWithoutPrefix() {
        TrailKey key = TrailKey.parse("", "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/05/f.json.gz").orElseThrow();

        assertEquals(null, key.orgId());
        assertEquals("us-east-1", key.region());
    }

    @Test
    void shouldSkipDigestsAndForeignKeys() {
        assertTrue(TrailKey.parse("", "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/05/"
            + "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240105T0000Z.json.gz").isEmpty());
        assertTrue(TrailKey.parse("", "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/05/"
            + "111122223333_CloudTrail-Digest_x.json.gz").isEmpty());
        assertTrue(TrailKey.parse("", "AWSLogs/111122223333/CloudTrail/us-east-1/2024/13/05/f.json.gz").isEmpty());
        assertTrue(TrailKey.parse("", "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/05/f.json").isEmpty());
        assertTrue(TrailKey.parse("", "AWSLogs/1111/CloudTrail/us-east-1/2024/01/05/f.json.gz").isEmpty());
        assertTrue(TrailKey.parse("other/", "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/05/f.json.gz").isEmpty());
    }

    @Test
    void shouldBuildThePartitionPrefix() {
        assertEquals("p/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/",
            TrailKey.partitionPrefix("p/", "o-a1b2c3d4e5", "111122223333", "us-east-1"));
        assertEquals("AWSLogs/111122223333/CloudTrail/us-east-1/", TrailKey.partitionPrefix("", null, "111122223333", "us-east-1"));
    }
}
