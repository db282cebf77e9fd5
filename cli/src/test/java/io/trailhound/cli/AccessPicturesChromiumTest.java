package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.trailhound.access.AccessGraph;
import io.trailhound.access.BlastRadius;
import io.trailhound.access.GraphBuilder;
import io.trailhound.access.GraphView;
import io.trailhound.access.Node;
import io.trailhound.access.Snapshot;
import io.trailhound.access.SnapshotOptions;
import io.trailhound.access.SnapshotReader;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Principal;
import io.trailhound.avro.Severity;

/**
 * Issue #15 item 5: the pictures looked at as a person would. The SVG {@code trailhound access graph} and
 * {@code access blast-radius --format svg} print for the access module's fixture snapshot is rendered by headless Chromium
 * ({@link HeadlessChromium}): the screenshot is not blank (white, dark and administrator-red pixels in proportion) and every
 * node's label of the fixture is text the browser laid out inside the picture and inside its node's box. The screenshots
 * stay in {@code cli/target/pictures} ({@code docs/access-graph.png} is one of them). The HTML report with its blast-radius
 * section ({@code trailhound report --snapshot DIR}) is rendered and checked the same way.
 */
class AccessPicturesChromiumTest {

    private static final String ALICE = "arn:aws:iam::111111111111:user/alice";
    /** The fill {@code SvgGraph} gives administrator-equivalent nodes. */
    private static final int ADMIN_FILL = 0xf4cccc;

    @TempDir
    Path tmp;

    private static Path fixture() {
        return Path.of(System.getProperty("trailhound.root", ".."), "access", "src", "test", "resources", "fixture-snapshot");
    }

    private static AccessGraph graph() throws IOException {
        return GraphBuilder.build(snapshot());
    }

    private static Snapshot snapshot() throws IOException {
        return SnapshotReader.read(fixture(), new SnapshotOptions(Set.of(), null, Instant.now()));
    }

    @Test
    void shouldShowEveryNodeOfTheTrustGraph() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(tmp);
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("access", "graph", "--snapshot", fixture().toString(), "--format", "svg"), cli.err());
        HeadlessChromium.Rendered page = chromium.render("access-graph", "access graph", List.of(cli.out()));
        List<Node> nodes = GraphView.trust(graph()).nodes();
        assertTrue(nodes.size() >= 10, "the fixture's trust graph has its users, roles and outsiders: " + nodes);
        assertLooked(page, nodes);
    }

    @Test
    void shouldShowEveryNodeOfABlastRadius() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(tmp);
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("access", "blast-radius", "--snapshot", fixture().toString(), ALICE, "--format", "svg"), cli.err());
        HeadlessChromium.Rendered page = chromium.render("blast-radius", "blast radius", List.of(cli.out()));
        AccessGraph graph = graph();
        List<Node> nodes = GraphView.of(graph, BlastRadius.of(graph, snapshot(), ALICE, 5)).nodes();
        assertTrue(nodes.stream().anyMatch(n -> n.id().equals(ALICE)), "the principal is drawn: " + nodes);
        assertLooked(page, nodes);
    }

    @Test
    void shouldShowTheReportWithTheBlastRadiusOfItsPrincipal() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(tmp);
        Instant t = Instant.parse("2026-11-02T10:00:00Z");
        Principal alice = ReportSamples.user("111111111111", "alice", "AKIAALICE");
        Alert alert = ReportSamples.alert("a1", "TH-IAM-1", Severity.HIGH, alice, "111111111111", t);
        Incident incident = Incident.newBuilder().setIncidentId("inc-1").setTitle("alice's keys used from a new network")
            .setPrincipal(alice).setStartedAt(t).setLastActivityAt(t).build();
        ReportData data = new ReportData(incident, List.of(alert), List.of(), List.of(), Map.of(), List.of());
        ReportBlastRadius blast = ReportBlastRadius.of(snapshot(), incident, 5);
        assertEquals(1, blast.principals().size(), "alice is in the fixture snapshot");
        HeadlessChromium.Rendered page = chromium.renderPage("report", ReportHtml.render(data, "now", blast), 1300, 3600);
        AccessGraph graph = graph();
        assertLooked(page, GraphView.of(graph, BlastRadius.of(graph, snapshot(), ALICE, 5)).nodes());
        assertTrue(page.texts().stream().anyMatch(s -> s.contains("Blast radius of " + ALICE)), "the picture's title: " + page.texts());
    }

    /** Not blank, administrators red, every node's kind and label laid out where a reader sees it; the screenshot is kept. */
    private static void assertLooked(HeadlessChromium.Rendered page, List<Node> nodes) throws IOException {
        HeadlessChromium.Pixels pixels = HeadlessChromium.Pixels.of(page.image());
        assertTrue(page.image().getWidth() >= 600 && page.image().getHeight() >= 300,
            "screenshot " + page.image().getWidth() + "x" + page.image().getHeight());
        assertTrue(pixels.nonWhite() > 0.05 && pixels.nonWhite() < 0.9, "share of non-white pixels " + pixels.nonWhite());
        assertTrue(pixels.dark() > 0.002, "share of dark pixels (text, arrows, borders) " + pixels.dark());
        assertTrue(pixels.colours() >= 8, "distinct colours " + pixels.colours());
        if (nodes.stream().anyMatch(n -> n.admin() != null)) {
            assertTrue(pixels.has(ADMIN_FILL, 6), "an administrator's red box is on the screenshot");
        }
        String text = String.join("\n", page.texts());
        for (Node n : nodes) {
            String label = n.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + n.label();
            assertTrue(page.texts().stream().anyMatch(t -> t.replace("\u00a0", " ").contains(label)),
                "node " + n.id() + ": '" + label + "' is not among the texts laid out inside the picture:\n" + text);
        }
        Path kept = Path.of("target", "pictures");
        Files.createDirectories(kept);
        Files.copy(page.screenshot(), kept.resolve(page.screenshot().getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
}
