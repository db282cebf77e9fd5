package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class RecordSplitterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReturnTheExactBytesOfEveryRecord() throws Exception {
        List<byte[]> events = List.of(
            TrailFixture.event("id-1", "111111111111", "us-east-1", Instant.parse("2024-05-01T00:00:00Z"), 1),
            TrailFixture.event("id-2", "111111111111", "us-east-1", Instant.parse("2024-05-01T00:00:01Z"), 2));
        byte[] file = TrailFixture.file(events);

        List<RecordSpan> spans = RecordSplitter.split(file);

        assertEquals(2, spans.size());
        for (int i = 0; i < events.size(); i++) {
            assertArrayEquals(events.get(i), Arrays.copyOfRange(file, spans.get(i).start(), spans.get(i).end()));
        }
        assertEquals("id-1", spans.get(0).eventId());
        assertEquals("id-2", spans.get(1).eventId());
    }

    @Test
    void shouldKeepWhitespaceAndMemberOrderInsideRecords() throws Exception {
        String record = "{ \"z\" : [ 1 , {\"a\": \"]}\\\"[{\"} ] ,\n  \"eventID\"\t: \"e-9\", \"nested\": {\"eventID\": \"inner\"} }";
        String file = "  {\n \"Other\": {\"Records\": []},\n \"Records\" : [\n" + record + " , {}\n]\n}\n";
        byte[] bytes = file.getBytes(StandardCharsets.UTF_8);

        List<RecordSpan> spans = RecordSplitter.split(bytes);

        assertEquals(2, spans.size());
        assertEquals(record, new String(bytes, spans.get(0).start(), spans.get(0).length(), StandardCharsets.UTF_8));
        assertEquals("e-9", spans.get(0).eventId());
        assertEquals("{}", new String(bytes, spans.get(1).start(), spans.get(1).length(), StandardCharsets.UTF_8));
        assertNull(spans.get(1).eventId());
    }

    @Test
    void shouldMatchJacksonsViewOfEachRecord() throws Exception {
        byte[] event = TrailFixture.event("id-3", "222222222222", "eu-west-1", Instant.parse("2024-05-01T00:00:00Z"), 7);
        byte[] file = TrailFixture.file(List.of(event, event, event));

        List<RecordSpan> spans = RecordSplitter.split(file);
        JsonNode records = JSON.readTree(file).get("Records");

        assertEquals(records.size(), spans.size());
        for (int i = 0; i < spans.size(); i++) {
            assertEquals(records.get(i), JSON.readTree(Arrays.copyOfRange(file, spans.get(i).start(), spans.get(i).end())));
        }
    }

    @Test
    void shouldSplitAnEmptyRecordsArray() throws Exception {
        assertTrue(RecordSplitter.split("{\"Records\":[]}".getBytes(StandardCharsets.UTF_8)).isEmpty());
    }

    @Test
    void shouldRejectJsonThatIsNotACloudTrailFile() {
        assertRejected("[{\"Records\":[]}]", "top level is not a JSON object");
        assertRejected("{\"records\":[{}]}", "no top-level Records array");
        assertRejected("{\"Records\":[1,2]}", "Records[0] is not a JSON object");
        assertRejected("hello", "top level is not a JSON object");
    }

    @Test
    void shouldRejectTruncatedOrInvalidJson() {
        assertRejected("{\"Records\":[{\"eventID\":\"a\"},{\"eventID\":\"b", "unterminated string");
        assertRejected("{\"Records\":[{\"a\":[1,2}]}", "mismatched");
        assertRejected("{\"Records\":[{\"a\":1}", "unexpected end");
        assertRejected("{\"Records\":[]} trailing", "unexpected content after");
        assertRejected("{\"Records\":[{\"a\":1},]}", "not a JSON object");
    }

    private static void assertRejected(String json, String reasonPart) {
        MalformedTrailFileException e = assertThrows(MalformedTrailFileException.class,
            () -> RecordSplitter.split(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(reasonPart), e.getMessage());
    }
}
