package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import io.trailhound.avro.ActionPhase;
import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.AlertRef;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Decision;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Incident;
import io.trailhound.avro.IncidentStatus;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.Severity;
import io.trailhound.avro.TimelineEntry;
import io.trailhound.avro.TimelineEntryKind;
import io.trailhound.testkit.FreePort;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.topic.Topics;

/**
 * {@code trailhound report} over records written with the real serdes to a real broker and registry: Markdown and HTML carry
 * every section, the HTML draws SVG and is self-contained, and an attacker-chosen principal name is escaped everywhere.
 */
class ReportCommandIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static final String EVIL = "<script>alert('owned')</script>";
    private static final Instant START = Instant.parse("2026-11-02T09:00:00Z");
    private static final Instant PIVOT = Instant.parse("2026-11-02T09:20:00Z");
    private static final Instant LAST = Instant.parse("2026-11-02T10:05:00Z");

    private final CliRun cli = new CliRun();

    @BeforeAll
    static void incident() throws Exception {
        for (String topic : List.of(Topics.INCIDENTS, Topics.ALERTS, Topics.ACTIONS, Topics.APPROVALS, Topics.GUARDDUTY_RAW)) {
            // the records are weeks old: keep them past the broker's default 7-day retention check
            KAFKA.createTopic(topic, 3, Map.of("retention.ms", "-1"));
        }
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        Principal evil = ReportSamples.user("111122223333", EVIL, "AKIALEAKED");
        List<ChainLink> chain = List.of(
            ChainLink.newBuilder().setPrincipalArn(evil.getArn()).setAccountId("111122223333").setAccessKeyId("AKIALEAKED").build(),
            ChainLink.newBuilder().setPrincipalArn("arn:aws:iam::222233334444:role/Pivot").setAccountId("222233334444")
                .setAccessKeyId("ASIAPIVOT").setMintedByEventName("AssumeRole").setMintedByEventId("ev-assume").setMintedAt(PIVOT)
                .build());
        Alert recon = alert("al-recon", "TH-REC-001", Severity.MEDIUM, evil, START, List.of(), List.of());
        Alert exfil = alert("al-gd", "TH-COR-001", Severity.CRITICAL, evil, PIVOT,
            List.of("gd-1"), List.of("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"));
        Alert other = Alert.newBuilder(alert("al-other", "TH-X", Severity.LOW, ReportSamples.user("999", "zed", "AKIAZED"), START,
            List.of(), List.of())).setIncidentId("inc-other").build();
        ReportSamples.produce(KAFKA.bootstrapServers(), topics.alerts(), List.of("al-recon", "al-gd", "al-other"),
            List.of(recon, exfil, other), List.of(START, PIVOT, START));
        Incident incident = Incident.newBuilder().setIncidentId("inc-9").setStatus(IncidentStatus.OPEN).setSeverity(Severity.CRITICAL)
            .setTitle("Leaked key of " + EVIL).setPrincipal(evil).setChain(chain)
            .setAccountIds(List.of("111122223333", "222233334444")).setRegions(List.of("us-east-1", "eu-west-1"))
            .setEntities(Entities.newBuilder().setAccessKeyIds(List.of("AKIALEAKED", "ASIAPIVOT")).setInstanceIds(List.of("i-0abc"))
                .setBuckets(List.of("payroll-exports")).setIpAddresses(List.of("203.0.113.50")).build())
            .setAlerts(List.of(ref(recon), ref(exfil))).setFindingIds(List.of("gd-1"))
            .setTimeline(List.of(
                entry(START, TimelineEntryKind.EVENT, "ev-1", EVIL + " called ListUsers from 203.0.113.50"),
                entry(PIVOT, TimelineEntryKind.EVENT, "ev-assume", "AssumeRole into 222233334444 role/Pivot"),
                entry(LAST, TimelineEntryKind.FINDING, "gd-1", "GuardDuty: credentials used outside AWS")))
            .setStartedAt(START).setLastActivityAt(LAST).setMode(Mode.LIVE).build();
        Incident earlier = Incident.newBuilder(incident).setTitle("stale state").setTimeline(List.of()).build();
        ReportSamples.produce(KAFKA.bootstrapServers(), topics.incidents(), List.of("inc-9", "inc-9"), List.of(earlier, incident),
            List.of(START, LAST));
        Instant now = Instant.now();
        ResponseAction console = action("inc-9|ec2:GetConsoleOutput|i-0abc", "ec2:GetConsoleOutput", ActionStatus.EXECUTED, now)
            .setAwsRequestId("req-7f3c-aws").setDetails("{\"EvidenceObject\":\"s3://th-evidence/inc-9/i-0abc/console-output.txt\"}")
            .build();
        ResponseAction terminate = action("inc-9|ec2:TerminateInstances|i-0abc", "ec2:TerminateInstances",
            ActionStatus.AWAITING_APPROVAL, now).setDestructive(true).setPhase(ActionPhase.CONTAINMENT).build();
        ResponseAction planned = action("inc-9|ec2:TerminateInstances|i-0abc", "ec2:TerminateInstances", ActionStatus.PLANNED, now).build();
        ReportSamples.produce(KAFKA.bootstrapServers(), topics.actions(), List.of(planned.getActionId(), console.getActionId(),
            terminate.getActionId()), List.of(planned, console, terminate), List.of(now, now, now));
        ApprovalRequest request = ApprovalRequest.newBuilder().setRequestId("req-approve-1").setActionId(terminate.getActionId())
            .setIncidentId("inc-9").setAwsAction("ec2:TerminateInstances").setResource("i-0abc").setReason("crypto-mining")
            .setRequestedAt(now).setExpiresAt(now.plusSeconds(3600)).build();
        ApprovalRequest other2 = ApprovalRequest.newBuilder(request).setRequestId("req-approve-2").setAwsAction("iam:DeleteLoginProfile")
            .setResource(EVIL).build();
        ApprovalDecision rejected = ApprovalDecision.newBuilder().setRequestId("req-approve-2").setActionId("x")
            .setDecision(Decision.REJECTED).setApprover("analyst-ann").setDecidedAt(now).build();
        ReportSamples.produce(KAFKA.bootstrapServers(), topics.approvals(), List.of("a", "b", "b"), List.of(
            new ApprovalMessage(request), new ApprovalMessage(other2), new ApprovalMessage(rejected)), List.of(now, now, now));
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            String finding = "{\"id\":\"gd-1\",\"type\":\"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS\","
                + "\"severity\":8,\"title\":\"Credentials of i-0abc used from 203.0.113.50\",\"accountId\":\"111122223333\","
                + "\"region\":\"us-east-1\",\"resource\":{\"resourceType\":\"AccessKey\"},\"updatedAt\":\"2026-11-02T10:05:00Z\"}";
            raw.send(new ProducerRecord<>(Topics.GUARDDUTY_RAW, null, LAST.toEpochMilli(), "gd-1",
                finding.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static Alert alert(String id, String rule, Severity severity, Principal p, Instant t, List<String> findings,
                               List<String> types) {
        return Alert.newBuilder(ReportSamples.alert(id, rule, severity, p, "111122223333", t)).setIncidentId("inc-9")
            .setFindingIds(findings).setFindingTypes(types).setMitreTechniqueId("T1078.004").build();
    }

    private static AlertRef ref(Alert a) {
        return AlertRef.newBuilder().setAlertId(a.getAlertId()).setRuleId(a.getRuleId()).setSeverity(a.getSeverity())
            .setTitle(a.getTitle()).setTime(a.getLastSeen()).build();
    }

    private static TimelineEntry entry(Instant t, TimelineEntryKind kind, String ref, String summary) {
        return TimelineEntry.newBuilder().setTime(t).setKind(kind).setReferenceId(ref).setSummary(summary).build();
    }

    private static ResponseAction.Builder action(String id, String awsAction, ActionStatus status, Instant t) {
        return ResponseAction.newBuilder().setActionId(id).setIncidentId("inc-9").setRunbook("ec2-compromise").setStep("step")
            .setPhase(ActionPhase.EVIDENCE).setAwsAction(awsAction).setResource("arn:aws:ec2:us-east-1:111122223333:instance/i-0abc")
            .setAccountId("111122223333").setRegion("us-east-1").setStatus(status).setTime(t).setActor("responder");
    }

    private String[] args(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("report", "--bootstrap-server", KAFKA.bootstrapServers(),
            "--schema-registry", REGISTRY.url()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void shouldRenderMarkdownWithEverySectionFromTheLatestIncidentState() {
        assertEquals(0, cli.exec(args("inc-9")), cli.err());
        String md = cli.out();
        assertTrue(md.startsWith("# Incident report: Leaked key of &lt;script&gt;"), md);
        assertFalse(md.contains("stale state"), "the latest value of the compacted key wins");
        for (String section : List.of("## Identity chain", "## Timeline", "## Alerts", "## Affected resources", "## GuardDuty findings",
            "## Actions taken", "## Actions pending", "## Approvals", "## Evidence locations")) {
            assertTrue(md.contains(section), section + " in\n" + md);
        }
        assertTrue(md.contains("2. arn:aws:iam::222233334444:role/Pivot (account 222233334444), key ASIAPIVOT, via AssumeRole"), md);
        assertTrue(md.contains("req-7f3c-aws"), "AWS request id of the executed action");
        assertTrue(md.contains("AWAITING\\_APPROVAL, destructive"), md);
        assertTrue(md.contains("s3://th-evidence/inc-9/i-0abc/console-output.txt"), md);
        assertTrue(md.contains("Credentials of i-0abc used from 203.0.113.50"), "the raw GuardDuty finding's title");
        assertTrue(md.contains("REJECTED by analyst-ann"), md);
        assertTrue(md.contains("awaiting decision"), md);
        assertTrue(md.contains("trailhound replay --from 2026-11-02T09:00:00Z --to 2026-11-02T10:05:01Z --access-key-id AKIALEAKED"), md);
        assertFalse(md.contains("al-other"), "another incident's alert");
        assertFalse(md.contains("<script"), "escaped: " + md);
        // timeline: incident entries and alerts in time order
        assertTrue(md.indexOf("called ListUsers") < md.indexOf("TH-COR-001 Title") && md.indexOf("TH-COR-001 Title")
            < md.indexOf("credentials used outside AWS"), md);
    }

    @Test
    void shouldRenderASelfContainedHtmlPageWithSvgPicturesAndEverythingEscaped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("inc-9.html");
        assertEquals(0, cli.exec(args("inc-9", "--format", "html", "--output", file.toString())), cli.err());
        String html = Files.readString(file);
        assertTrue(cli.err().contains("wrote " + file), cli.err());
        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"), "no script element, the principal's name is escaped");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;"), html);
        assertFalse(Pattern.compile("(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no external resources");
        assertFalse(html.contains("url(http") || html.contains("@import"), "no external CSS");
        Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
        int pictures = 0;
        while (svg.find()) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.group().getBytes(StandardCharsets.UTF_8)));
            String id = doc.getDocumentElement().getAttribute("id");
            if (id.equals("timeline")) {
                // one dot per timeline row: 3 incident entries + 2 alerts not among them + 2 actions
                assertEquals(7 + 4, doc.getElementsByTagName("circle").getLength(), "rows plus the 4 legend dots");
            } else {
                assertEquals("chain", id);
                assertEquals(2, doc.getElementsByTagName("rect").getLength(), "one box per identity");
                assertTrue(svg.group().contains(">AssumeRole<"), svg.group());
            }
            pictures++;
        }
        assertEquals(2, pictures, "timeline and chain drawn as SVG");
        assertTrue(html.contains("req-7f3c-aws") && html.contains("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"));
    }

    @Test
    void shouldFailClearlyOnAnUnknownIncident() {
        assertEquals(1, cli.exec(args("inc-nope")));
        assertTrue(cli.err().contains("unknown incident 'inc-nope'"), cli.err());
        assertEquals("", cli.out());
    }

    @Test
    void shouldSayWhichAddressIsUnreachableAndHowToStartABroker() {
        String address = "127.0.0.1:" + FreePort.pick();
        assertEquals(2, cli.exec("report", "inc-9", "--bootstrap-server", address));
        assertTrue(cli.err().contains("cannot reach Kafka at " + address + "; start one with ./trailhound demo --follow"), cli.err());
    }
}
