package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Notification mode's memory of files a stopped task left partway. The case it exists for: a task stops in the middle of
 * file A; after a restart it reads file B of the same account/region (B's notification came first), and stops again; A's
 * notification then comes back. The committed offset is now B's, so A's position must travel in B's offsets too, or A
 * would be read again from its start: duplicates under exactly-once.
 */
class PartialFilesTest {

    private static final TrailPartition PARTITION = TrailPartition.of(TrailLocation.parse("s3://trail/"), null, "111111111111",
        "us-east-1");
    private static final Duration WINDOW = Duration.ofMinutes(60);
    private static final String A = key("20240501T0010Z_aaaa");
    private static final String B = key("20240501T0015Z_bbbb");
    private static final String C = key("20240501T0020Z_cccc");

    @Test
    void shouldCarryAFileLeftPartwayThroughAnotherFilesOffsetAndASecondRestart() {
        // first stop: the last committed record was A's 41st of more
        RecentFiles afterFirstRestart = RecentFiles.resume(PARTITION, WINDOW, PARTITION.keyPrefix(), null).admit(C)
            .continuing(A, 40);
        assertEquals(40, afterFirstRestart.partialIndex(A));
        // B is read to its end: its last record's offset is what Connect commits before the second stop
        RecentFiles afterB = afterFirstRestart.admit(B);
        CloudTrailOffset committed = new CloudTrailOffset(B, 99, true).within(afterB);
        assertEquals("20240501T0010Z_aaaa@40", committed.toMap().get(CloudTrailOffset.PARTIAL));

        RecentFiles afterSecondRestart = RecentFiles.resume(PARTITION, WINDOW, PARTITION.keyPrefix(),
            CloudTrailOffset.fromMap(committed.toMap()));
        assertEquals(40, afterSecondRestart.partialIndex(A), "A continues after record 40, not from its start");
        assertFalse(afterSecondRestart.remembers(A));
        assertTrue(afterSecondRestart.remembers(B));
        assertEquals(-1, afterSecondRestart.partialIndex(B));
    }

    @Test
    void shouldForgetAPartialFileOnceReadToItsEnd() {
        RecentFiles left = RecentFiles.resume(PARTITION, WINDOW, PARTITION.keyPrefix(), null).continuing(A, 7);
        RecentFiles done = left.admit(A);
        assertEquals(-1, done.partialIndex(A));
        assertTrue(done.remembers(A));
        assertNull(done.partial());
        assertFalse(new CloudTrailOffset(A, 20, true).within(done).toMap().containsKey(CloudTrailOffset.PARTIAL),
            "an offset without files left partway stays as it was");
        assertEquals(-1, done.continuing(A, 3).partialIndex(A), "a file read to its end is not taken as partial again");
    }

    @Test
    void shouldKeepTheLaterPositionOfAFileAndForgetOnesTheWindowPassed() {
        RecentFiles files = RecentFiles.resume(PARTITION, WINDOW, PARTITION.keyPrefix(), null).continuing(A, 40).continuing(A, 12);
        assertEquals(40, files.partialIndex(A), "a later committed record wins");
        RecentFiles muchLater = files.admit(key("20240501T0200Z_dddd"));
        assertEquals(-1, muchLater.partialIndex(A), "A is outside the 60-minute window: forgotten, like the files read");
    }

    @Test
    void shouldReadAndValidateThePartialField() {
        Map<String, Object> offset = Map.of("key", B, "index", 3L, "eof", false, "after", PARTITION.keyPrefix(), "recent", "",
            "partial", "20240501T0010Z_aaaa@40,not-an-id@3,20240501T0011Z_x@minus");
        assertDoesNotThrow(() -> CloudTrailOffset.validate(offset));
        RecentFiles files = RecentFiles.resume(PARTITION, WINDOW, PARTITION.keyPrefix(), CloudTrailOffset.fromMap(offset));
        assertEquals(40, files.partialIndex(A));
        assertEquals("20240501T0010Z_aaaa@40", files.partial(), "malformed entries are dropped");
        assertThrows(IllegalArgumentException.class, () -> CloudTrailOffset.validate(Map.of("key", B, "partial", 5)));
    }

    private static String key(String id) {
        return PARTITION.keyPrefix() + "2024/05/01/111111111111_CloudTrail_us-east-1_" + id + ".json.gz";
    }
}
