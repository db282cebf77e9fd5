package io.trailhound.detect.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.detect.rules.RuleCatalog;

/**
 * #18 acceptance offline: each identity-origin timeline (OIDC from a foreign repository, a forged SAML assertion, console
 * password theft with a role switch, a phished Identity Center user, and the benign timelines beside them) through
 * {@link OfflineScan} meets its expected results ({@link IdentityTimelines#check}).
 */
class IdentityTimelinesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<String> scenarios() {
        return IdentityTimelines.scenarios();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void shouldAlertEveryStepInOneIncidentRootedAtTheSubjectAndStayQuietOnBenignTimelines(String scenario) {
        OfflineScan.Result result = new OfflineScan(IdentityTimelines.SETTINGS, RuleCatalog.builtIn())
                .run(IdentityTimelines.records(scenario));
        IdentityTimelines.check(scenario, result.alerts(), result.incidents());
    }

    /**
     * #18 item 5: the alert on the foreign repository's sign-in, and its incident, carry the subjects the deploy role served
     * before (its own organization's repositories), for the responder to narrow the trust policy to; never the intruder.
     */
    @Test
    void shouldCarryTheSubjectsTheRoleServedBeforeToTheResponder() {
        OfflineScan.Result result = new OfflineScan(IdentityTimelines.SETTINGS, RuleCatalog.builtIn())
                .run(IdentityTimelines.records("oidc-foreign-repo"));
        String key = "servedSubjects:arn:aws:iam::111111111111:role/github-deploy";
        Alert signIn = result.alerts().stream().filter(a -> "TH-FED-002".equals(a.getRuleId())).findFirst().orElseThrow();
        List<String> served = signIn.getEntities().getOther().get(key);
        assertNotNull(served, "served subjects on " + signIn.getEntities().getOther());
        assertFalse(served.isEmpty());
        assertTrue(served.stream().allMatch(s -> s.startsWith("repo:acme/")), served.toString());
        Incident incident = result.incidents().stream().filter(i -> i.getIncidentId().equals(result.incidentOf(signIn.getAlertId())
                .orElseThrow().getIncidentId()))
                .reduce((x, y) -> y).orElseThrow();
        assertEquals(served, incident.getEntities().getOther().get(key));
    }

    /**
     * #18 item 3, end of input: a scan that ends within the follow-up window after carol's MFA removal holds TH-CON-011 (as the
     * live processor would at that point) and says so in its result, instead of raising it or forgetting it.
     */
    @Test
    void shouldHoldAnMfaRemovalWhoseWindowIsOpenWhenTheInputEnds() throws Exception {
        List<byte[]> records = new ArrayList<>();
        for (byte[] r : IdentityTimelines.records("console-password-theft")) {
            String time = MAPPER.readTree(r).path("eventTime").asText();
            if (time.compareTo("2025-03-15T03:05:00Z") < 0) {
                records.add(r);
            }
        }
        OfflineScan.Result result = new OfflineScan(IdentityTimelines.SETTINGS, RuleCatalog.builtIn()).run(records);
        assertTrue(result.alerts().stream().noneMatch(a -> "TH-CON-011".equals(a.getRuleId())), "not an alert yet");
        assertEquals(List.of("TH-CON-011"), result.held().stream().map(Alert::getRuleId).toList());
        assertEquals("arn:aws:iam::333333333333:user/carol", result.held().get(0).getPrincipal().getArn());
    }
}
