package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Severity;

class ReportRenderTest {

    private static final String EVIL = "<img src=x onerror=alert(1)>|*_[x](javascript:y)`";

    private static ReportData data() {
        Instant t = Instant.parse("2026-11-02T10:00:00Z");
        Alert alert = ReportSamples.alert("a1", "TH-1", Severity.HIGH, ReportSamples.user("1", EVIL, "AKIA1"), "1", t);
        Incident incident = Incident.newBuilder().setIncidentId("i1").setTitle(EVIL).setPrincipal(alert.getPrincipal())
            .setStartedAt(t).setLastActivityAt(t).build();
        return new ReportData(incident, List.of(alert), List.of(), List.of(), Map.of(), List.of());
    }

    @Test
    void shouldEscapeMarkupInMarkdown() {
        String md = ReportMarkdown.render(data(), "now");
        assertFalse(md.contains("<img"), md);
        assertFalse(md.contains("](javascript"), md);
        assertTrue(md.contains("&lt;img src=x onerror=alert\\(1\\)&gt;\\|\\*\\_\\[x\\]\\(javascript:y\\)\\`"), md);
    }

    @Test
    void shouldEscapeMarkupInHtmlAndSvg() {
        String html = ReportHtml.render(data(), "now");
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), html);
        assertEquals(2, html.split("<svg ", -1).length - 1, "timeline and chain pictures");
    }

    @Test
    void shouldColourSeverityOnlyWhenAskedAndStripControlCharacters() {
        Alert alert = ReportSamples.alert("a1", "TH-1", Severity.CRITICAL, ReportSamples.user("1", "bob\u001b[2J", "AKIA1"), "1",
            Instant.parse("2026-11-02T10:00:00Z"));
        String plain = new TailFormat(false).text(alert);
        String coloured = new TailFormat(true).text(alert);
        assertFalse(plain.contains("\u001b"), "no escape sequences at all, not even the attacker's: " + plain);
        assertTrue(plain.contains("bob?[2J"), plain);
        assertTrue(coloured.contains("\u001b[1;97;41mCRITICAL"), coloured);
        assertEquals(1, coloured.split("\u001b\\[0m", -1).length - 1, "one reset after the severity");
    }
}
