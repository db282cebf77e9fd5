package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.trailhound.access.BlastRadius;
import io.trailhound.access.Confidence;
import io.trailhound.access.Reachable;

/**
 * Issue #15: the demo's bundled IAM snapshot tells the sample's story. dana's developers group may assume any role of the
 * organization, so the leaked key reaches the unused OrganizationAccountAccessRole (administrator) of both member accounts
 * in one hop, which is the pivot the intrusion takes; the data account's role wants MFA (CONDITIONAL), the deploy role trusts
 * the CI user only (reached through a trust rewrite from the administrator role, not directly).
 */
class DemoBlastRadiusTest {

    private static final String PROD_PIVOT = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole";
    private static final String DATA_PIVOT = "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole";

    @TempDir
    Path tmp;

    @Test
    void shouldShowThatDanaCanBecomeAdministratorInEveryMemberAccount() throws Exception {
        Path dir = DemoBlastRadius.extract(tmp.resolve("iam"));
        BlastRadius r = DemoBlastRadius.of(dir);
        assertEquals("arn:aws:iam::111111111111:user/dana", r.principal());
        assertTrue(r.adminEquivalent());
        assertEquals(Confidence.DEFINITE, r.adminConfidence());
        assertEquals(1, r.adminPath().size(), r.adminPath().toString());
        assertEquals("sts-001", r.adminPath().get(0).technique());
        assertTrue(List.of(PROD_PIVOT, DATA_PIVOT).contains(r.adminPath().get(0).to()), r.adminPath().toString());
        assertEquals(List.of("111111111111", "222222222222", "333333333333"), r.accounts());
        Reachable prod = find(r, PROD_PIVOT);
        assertEquals(1, prod.hops());
        assertTrue(prod.adminEquivalent());
        assertTrue(find(r, DATA_PIVOT).adminEquivalent());
        Reachable engineer = find(r, "arn:aws:iam::333333333333:role/DataEngineer");
        assertEquals(Confidence.CONDITIONAL, engineer.confidence());
        assertEquals(List.of("aws:MultiFactorAuthPresent"), List.copyOf(engineer.conditions()));
        Reachable deploy = find(r, "arn:aws:iam::222222222222:role/DeployRole");
        assertEquals(2, deploy.hops(), "only through the administrator role: " + deploy.path());
        assertEquals("iam-012", deploy.path().get(1).technique());
        assertTrue(r.risk().score() >= 40, "administrator-equivalent counts 40: " + r.risk());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DemoBlastRadius.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), dir, r);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("administrator-equivalent: yes (DEFINITE)"), printed);
        assertTrue(printed.contains("administrator role reachable in 1 hop(s): " + PROD_PIVOT), printed);
        assertTrue(printed.contains("--snapshot " + dir), printed);
        assertFalse(printed.contains("null"), printed);
    }

    private static Reachable find(BlastRadius r, String arn) {
        return r.reachable().stream().filter(x -> x.arn().equals(arn)).findFirst()
            .orElseThrow(() -> new AssertionError(arn + " not reachable: " + r.reachable()));
    }
}
