package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.trailhound.access.AccessSummary;

/** The summaries {@code bench access} gives every principal of its trail: what the access stage publishes, readable back. */
class AccessBenchEnrichmentTest {

    @Test
    void shouldGiveEveryTrailPrincipalASummaryTheLookupReadsBack() {
        List<String> arns = new DetectBenchTrail(10, 42).principalArns();
        assertEquals(10, arns.size());
        assertTrue(arns.contains("arn:aws:iam::111122223333:user/user-0") && arns.contains("arn:aws:iam::444455556666:role/app-3"),
            arns.toString());
        for (int i = 0; i < arns.size(); i++) {
            AccessSummary summary = AccessBenchEnrichment.summary(arns.get(i), i, 1_700_000_000_000L);
            assertEquals(summary, AccessSummary.fromJson(summary.toJson()));
            assertEquals(AccessSummary.TOP_ADMINS, summary.topAdminRoles().size());
            assertTrue(summary.adminEquivalent());
            assertEquals(2, summary.otherAccounts().size(), summary.accounts().toString());
            assertEquals(summary.accounts().stream().sorted().toList(), summary.accounts());
        }
    }
}
