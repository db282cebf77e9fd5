package io.trailhound.respond;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.trailhound.signing.Ed25519Keys;

class ResponderConfigTest {

    @Test
    void shouldDocumentEveryKey() {
        for (ConfigDef.ConfigKey key : ResponderConfig.CONFIG.configKeys().values()) {
            assertTrue(key.documentation != null && !key.documentation.isBlank(), key.name + " has no doc");
            assertTrue(key.hasDefault(), key.name + " has no default");
        }
    }

    @Test
    void shouldDefaultToDryRun() {
        assertTrue(new ResponderConfig(Map.of()).dryRun());
        assertFalse(new ResponderConfig(Map.of(ResponderConfig.DRY_RUN_CONFIG, "false")).dryRun());
    }

    @Test
    void shouldFailOnUnknownKeys() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ResponderConfig(Map.of("responder.dryrun", "false")));
        assertTrue(e.getMessage().contains("responder.dryrun"), e.getMessage());
    }

    @Test
    void shouldFailOnInvalidValuesNamingTheKey() {
        assertTrue(assertThrows(ConfigException.class, () -> new ResponderConfig(Map.of(ResponderConfig.BREAKER_MAX_CONFIG, "0")))
            .getMessage().contains(ResponderConfig.BREAKER_MAX_CONFIG));
        assertTrue(assertThrows(ConfigException.class, () -> new ResponderConfig(Map.of(ResponderConfig.PROTECTED_ARNS_CONFIG,
            "BreakGlass"))).getMessage().contains(ResponderConfig.PROTECTED_ARNS_CONFIG));
        assertTrue(assertThrows(ConfigException.class, () -> new ResponderConfig(Map.of(ResponderConfig.RUNBOOK_MAPPING_CONFIG,
            "Backdoor:*"))).getMessage().contains(ResponderConfig.RUNBOOK_MAPPING_CONFIG));
        assertTrue(assertThrows(ConfigException.class, () -> new ResponderConfig(Map.of(ResponderConfig.ACCESS_KEYS_SCOPE_CONFIG,
            "some"))).getMessage().contains(ResponderConfig.ACCESS_KEYS_SCOPE_CONFIG));
    }

    @Test
    void shouldRequireSignedAlertsAndDecisionsByDefaultAndATrustedKeyToStart() {
        ResponderConfig defaults = new ResponderConfig(Map.of());
        assertTrue(defaults.getBoolean(ResponderConfig.APPROVALS_REQUIRE_SIGNATURE_CONFIG));
        ConfigException e = assertThrows(ConfigException.class, defaults::alertSignatures);
        assertTrue(e.getMessage().contains(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG), e.getMessage());
        assertTrue(new ResponderConfig(Map.of(ResponderConfig.ALERTS_REQUIRE_SIGNATURE_CONFIG, "false")).alertSignatures().isEmpty());
        String key = Ed25519Keys.publicKeyText(Ed25519Keys.generate().getPublic());
        assertTrue(new ResponderConfig(Map.of(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG, "detect-1:" + key)).alertSignatures()
            .isPresent());
        assertThrows(ConfigException.class, () -> new ResponderConfig(Map.of(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG, key)));
        assertThrows(ConfigException.class, () -> new ResponderConfig(Map.of(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG, "d:AAAA")));
    }

    @Test
    void shouldAcceptApproverKeysAndFailOnIncompleteOnes() {
        String key = Ed25519Keys.publicKeyText(Ed25519Keys.generate().getPublic());
        ResponderConfig config = new ResponderConfig(Map.of("responder.approver.alice.public.key", key,
            "responder.approver.alice.runbooks", "*", "responder.approver.alice.accounts", "111122223333"));
        assertEquals(java.util.Set.of("alice"), config.approvers().names());
        assertThrows(ConfigException.class, () -> new ResponderConfig(Map.of("responder.approver.alice.public.key", key)));
    }

    @Test
    void shouldParseProtectedInstanceTags() {
        ResponderConfig config = new ResponderConfig(Map.of(ResponderConfig.PROTECTED_INSTANCE_TAGS_CONFIG, "env=prod-db, keep = yes"));
        assertEquals(Map.of("env", "prod-db", "keep", "yes"), config.protectedInstanceTags());
    }
}
