package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15 item 5 (offline part): {@code trailhound access} run in-process on the access module's fixture snapshot
 * (access/src/test/resources/fixture-snapshot: three accounts, cross-account, wildcard and external trust, admin roles,
 * a PassRole path).
 */
class AccessCommandTest {

    private static final String ALICE = "arn:aws:iam::111111111111:user/alice";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String fixture() {
        return Path.of(System.getProperty("trailhound.root", ".."), "access", "src", "test", "resources", "fixture-snapshot").toString();
    }

    @Test
    void shouldPrintTheBlastRadiusAsOneJsonObject() throws Exception {
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("access", "blast-radius", "--snapshot", fixture(), ALICE), cli.err());
        JsonNode r = JSON.readTree(cli.out());
        assertEquals(ALICE, r.get("principal").asText());
        assertTrue(r.get("adminEquivalent").asBoolean());
        JsonNode step = r.get("adminPath").get(0);
        assertEquals(ALICE, step.get("from").asText());
        assertEquals("arn:aws:iam::111111111111:role/lambda-admin", step.get("to").asText());
        assertEquals("lambda-001", step.get("technique").asText());
        assertEquals("DEFINITE", step.get("confidence").asText());
        assertTrue(step.get("via").asText().startsWith("iam:PassRole + lambda:CreateFunction"));
        assertEquals(List.of("111111111111", "222222222222", "333333333333"), texts(r.get("accounts")));
        JsonNode deploy = find(r.get("reachable"), "arn:aws:iam::222222222222:role/deploy");
        assertEquals("222222222222", deploy.get("accountId").asText());
        assertEquals(1, deploy.get("hops").asInt());
        assertEquals("DEFINITE", deploy.get("confidence").asText());
        assertEquals("sts-001", deploy.get("path").get(0).get("technique").asText());
        JsonNode ci = find(r.get("reachable"), "arn:aws:iam::111111111111:role/ci");
        assertEquals("CONDITIONAL", ci.get("confidence").asText());
        assertEquals(List.of("aws:PrincipalOrgID"), texts(ci.get("conditions")));
        int sum = 0;
        for (JsonNode c : r.get("riskComponents")) {
            assertTrue(c.has("name") && c.has("max") && c.has("detail"), c.toString());
            sum += c.get("points").asInt();
        }
        assertEquals(r.get("riskScore").asInt(), sum);
        assertTrue(texts(r.get("unsupported")).stream().anyMatch(u -> u.contains("arn:aws:iam::aws:policy/ReadOnlyAccess")));
    }

    @Test
    void shouldDecideTheOrganizationConditionWithOrgIdAndStopAtMaxHops() throws Exception {
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("access", "blast-radius", "--snapshot", fixture(), "--org-id", "o-exampleorg", "--max-hops", "1",
            ALICE), cli.err());
        JsonNode r = JSON.readTree(cli.out());
        assertEquals("DEFINITE", find(r.get("reachable"), "arn:aws:iam::111111111111:role/ci").get("confidence").asText());
        for (JsonNode x : r.get("reachable")) {
            assertEquals(1, x.get("hops").asInt(), x.toString());
        }
    }

    @Test
    void shouldDrawTheTrustGraphWithEveryAccountAndNode() {
        CliRun svg = new CliRun();
        assertEquals(0, svg.exec("access", "graph", "--snapshot", fixture(), "--format", "svg"), svg.err());
        String picture = svg.out();
        assertTrue(picture.startsWith("<svg"), picture);
        for (String label : List.of("account 111111111111", "account 222222222222", "account 333333333333", "outside the snapshot",
            "user alice", "role deploy", "role prod-admin", "role shared-admin", "role auditor", "anyone", "999999999999")) {
            assertTrue(picture.contains(label), label);
        }
        CliRun dot = new CliRun();
        assertEquals(0, dot.exec("access", "graph", "--snapshot", fixture(), "--format", "dot"), dot.err());
        assertTrue(dot.out().startsWith("digraph access {") && dot.out().contains("subgraph cluster_"), dot.out());
        assertTrue(dot.out().contains("[label=\"sts-001\"]"), dot.out());
    }

    @Test
    void shouldDrawTheBlastRadiusAsSvgAndDot() {
        CliRun svg = new CliRun();
        assertEquals(0, svg.exec("access", "blast-radius", "--snapshot", fixture(), "--format", "svg", ALICE), svg.err());
        assertTrue(svg.out().startsWith("<svg") && svg.out().contains("role lambda-admin") && svg.out().contains("lambda-001"),
            svg.out());
        CliRun dot = new CliRun();
        assertEquals(0, dot.exec("access", "blast-radius", "--snapshot", fixture(), "--format", "dot", ALICE), dot.err());
        assertTrue(dot.out().contains("[label=\"iam-012\"]"), dot.out());
        CliRun bad = new CliRun();
        assertEquals(2, bad.exec("access", "blast-radius", "--snapshot", fixture(), "--format", "png", ALICE));
        assertTrue(bad.err().contains("--format must be json, text, dot or svg"), bad.err());
    }

    @Test
    void shouldRankPrincipalsByRisk() throws Exception {
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("access", "risks", "--snapshot", fixture(), "--format", "json"), cli.err());
        JsonNode principals = JSON.readTree(cli.out()).get("principals");
        assertEquals(8, principals.size());
        int previous = Integer.MAX_VALUE;
        for (JsonNode p : principals) {
            assertTrue(p.get("riskScore").asInt() <= previous, principals.toString());
            previous = p.get("riskScore").asInt();
            assertEquals(6, p.get("riskComponents").size());
        }
        assertEquals("arn:aws:iam::333333333333:role/shared-admin", principals.get(0).get("principal").asText());
        CliRun text = new CliRun();
        assertEquals(0, text.exec("access", "risks", "--snapshot", fixture()), text.err());
        assertTrue(text.out().contains("external-or-wildcard-trust"), text.out());
    }

    @Test
    void shouldSayInOneLineWhenTheLiveSnapshotsCannotBeRead() {
        String address = "127.0.0.1:" + io.trailhound.testkit.FreePort.pick();
        CliRun cli = new CliRun();
        assertEquals(2, cli.exec("access", "blast-radius", "--bootstrap-server", address, ALICE));
        assertTrue(cli.err().contains("cannot reach Kafka at " + address), cli.err());
        assertEquals(1, cli.err().strip().lines().count(), cli.err());
        assertFalse(cli.out().contains("{"), cli.out());
    }

    @Test
    void shouldReportAMalformedSnapshotOrUnknownPrincipalInOneLine() throws Exception {
        Files.writeString(tmp.resolve("111111111111.gaad.json"), "{\"UserDetailList\":[{\"UserName\":\"u\"}]}");
        CliRun cli = new CliRun();
        assertEquals(2, cli.exec("access", "risks", "--snapshot", tmp.toString()));
        assertTrue(cli.err().contains("111111111111.gaad.json: UserDetailList[0].Arn: missing"), cli.err());
        assertEquals(1, cli.err().strip().lines().count(), cli.err());
        CliRun unknown = new CliRun();
        assertEquals(2, unknown.exec("access", "blast-radius", "--snapshot", fixture(), "arn:aws:iam::111111111111:user/nobody"));
        assertTrue(unknown.err().contains("principal not in the snapshot"), unknown.err());
    }

    private static JsonNode find(JsonNode reachable, String arn) {
        for (JsonNode x : reachable) {
            if (x.get("arn").asText().equals(arn)) {
                return x;
            }
        }
        throw new AssertionError(arn + " not reachable: " + reachable);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
