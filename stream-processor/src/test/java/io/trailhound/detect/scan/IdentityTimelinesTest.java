package io.trailhound.detect.scan;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.trailhound.detect.rules.RuleCatalog;

/**
 * #18 acceptance offline: each identity-origin timeline (OIDC from a foreign repository, a forged SAML assertion, console
 * password theft with a role switch, a phished Identity Center user, and the benign timelines beside them) through
 * {@link OfflineScan} meets its expected results ({@link IdentityTimelines#check}).
 */
class IdentityTimelinesTest {

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
}
