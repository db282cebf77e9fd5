package io.trailhound.detect.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Severity;
import io.trailhound.detect.normalize.Normalized;
import io.trailhound.detect.normalize.PrincipalResolver;
import io.trailhound.detect.normalize.RecordNormalizer;

/**
 * TH-IAM-018 event by event (the golden-events test only needs one positive to fire): every write of the responder's role
 * that is not one of its two deny policies, exactly as it writes them, raises it HIGH, denied attempts included; its own
 * deny policies, their deletion on release and other roles' writes do not.
 */
class ResponderRoleRuleTest {

    private static final String RULE = "TH-IAM-018";
    private static final Path GOLDEN = Path.of("src/test/resources/rules", RULE);
    private static final RecordNormalizer NORMALIZER = new RecordNormalizer(new PrincipalResolver(List.of()), 1_048_576);
    private static final RuleCatalog CATALOG = RuleCatalog.builtIn();

    @Test
    void shouldRaiseEveryPositiveEventHigh() throws IOException {
        List<String> events = Files.readAllLines(GOLDEN.resolve("positive.jsonl"));
        assertTrue(events.size() >= 7, "positives: " + events.size());
        assertEquals(Severity.HIGH, CATALOG.rule(RULE).severity());
        for (String event : events) {
            assertTrue(fires(event), "should fire on " + event);
        }
    }

    @Test
    void shouldStayQuietOnEveryNegativeEvent() throws IOException {
        List<String> events = Files.readAllLines(GOLDEN.resolve("negative.jsonl"));
        assertTrue(events.size() >= 7, "negatives: " + events.size());
        for (String event : events) {
            assertFalse(fires(event), "should not fire on " + event);
        }
    }

    @Test
    void shouldTakeOnlyTheResponderDocumentsExactly() throws IOException {
        String ours = Files.readAllLines(GOLDEN.resolve("negative.jsonl")).get(0);
        assertFalse(fires(ours));
        assertTrue(fires(ours.replace("\\\"Effect\\\":\\\"Deny\\\"", "\\\"Effect\\\":\\\"Allow\\\"")), "an Allow under our name");
        assertTrue(fires(ours.replace("\\\"Resource\\\":[\\\"*\\\"]", "\\\"Resource\\\":[\\\"*\\\"],\\\"NotResource\\\":[]")),
            "anything added to our document");
        assertTrue(fires(ours.replace("AWSRevokeOlderSessions", "AWSRevokeOlderSessions2")), "another name");
    }

    private static boolean fires(String raw) {
        Normalized n = NORMALIZER.normalize(raw.getBytes(StandardCharsets.UTF_8));
        EventView view = new EventView(assertInstanceOf(Normalized.Event.class, n).event());
        return CATALOG.matching(view).stream().anyMatch(rule -> rule.id().equals(RULE));
    }
}
