package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.trailhound.detect.rules.Rule;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.respond.runbook.RunbookSelector;
import io.trailhound.respond.runbook.RunbookSettings;

/**
 * The stream processor's rules and the responder are separate modules that meet only in the Alert's {@code runbook} field;
 * this test, where both are on the class path, checks that every runbook a rule recommends is one the responder runs.
 */
class RunbookCoverageTest {

    /** Runbooks a rule may name that the responder deliberately does not run yet: their alerts are audited, not acted on. */
    private static final Set<String> NOT_AUTOMATED = Set.of("network-exposure");

    @Test
    void shouldRunARunbookForEveryRunbookTheRulesRecommend() {
        Set<String> runbookIds = new TreeSet<>();
        RunbookSelector.builtIn(RunbookSettings.defaults()).forEach(runbook -> runbookIds.add(runbook.id()));
        runbookIds.add(RunbookSelector.CREDENTIAL_COMPROMISE);
        Set<String> unknown = new TreeSet<>();
        for (Rule rule : RuleCatalog.builtIn().rules()) {
            String runbook = rule.runbook();
            if (runbook != null && !NOT_AUTOMATED.contains(runbook)
                    && !runbookIds.contains(RunbookSelector.DETECTION_ALIASES.getOrDefault(runbook, runbook))) {
                unknown.add(rule.id() + " -> " + runbook);
            }
        }
        assertEquals(Set.of(), unknown, "rules recommend runbooks the responder does not know");
    }
}
