package io.trailhound.detect.topology;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.PrincipalType;

/**
 * The incident key an alert carries in {@code incidentId} as it leaves the principal's task (#16): computed from the alert
 * alone, so alerts need not wait for the incident stage. It names the identity at the root of what the alert is about (the
 * Identity Center user behind a portal session or its permission-set sessions, else the first link of its credential chain,
 * else its principal; for an alert without a principal, its first access key, instance or finding) and the UTC day of its
 * first event, as a name-based UUID: every alert of one intrusion that day carries the same key, in whichever task it was
 * raised, and a replay gives the same keys. The incident stage opens an incident under the key of its first alert, so an
 * incident's id is the key its alerts carry; an alert that joins through another link (an instance, a key, a user the
 * incident created) keeps its own key and is listed among the incident's alerts.
 */
final class IncidentKeys {

    private IncidentKeys() {
    }

    /** The incident key of {@code alert}. */
    static String of(Alert alert) {
        String identity = identity(alert);
        String day = alert.getFirstSeen().atZone(ZoneOffset.UTC).toLocalDate().toString();
        return UUID.nameUUIDFromBytes(("incident|" + identity + "|" + day).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String identity(Alert alert) {
        String identityCenter = identityCenterUser(alert);
        if (identityCenter != null) {
            return "ic:" + identityCenter;
        }
        String root = rootKey(alert);
        if (root != null) {
            return "p:" + root;
        }
        List<String> keys = alert.getEntities().getAccessKeyIds();
        if (!keys.isEmpty()) {
            return "k:" + keys.get(0);
        }
        List<String> instances = alert.getEntities().getInstanceIds();
        if (!instances.isEmpty()) {
            return "i:" + instances.get(0);
        }
        return alert.getFindingIds().isEmpty() ? "a:" + alert.getAlertId() : "f:" + alert.getFindingIds().get(0);
    }

    /** The root identity of the alert's chain: its first link when the chain has more than the caller, else the principal. */
    static String rootKey(Alert alert) {
        List<ChainLink> chain = alert.getChain();
        if (chain.size() > 1) {
            ChainLink root = chain.get(0);
            return (root.getAccountId() == null ? "" : root.getAccountId()) + "/" + root.getPrincipalArn();
        }
        return alert.getPrincipal() == null || alert.getPrincipal().getPrincipalKey().isEmpty() ? null
                : alert.getPrincipal().getPrincipalKey();
    }

    /**
     * The Identity Center user behind the alert (#18): the portal user itself, or the subject at the root of a chain that
     * Identity Center's SAML provider ({@code saml-provider/AWSSSO_...}) started, whose NameID is that user's id; so the portal
     * sign-in and what the permission-set session did next are one incident.
     */
    static String identityCenterUser(Alert alert) {
        if (alert.getPrincipal() != null && alert.getPrincipal().getType() == PrincipalType.IdentityCenterUser) {
            return alert.getPrincipal().getUserName();
        }
        if (alert.getChain().isEmpty()) {
            return null;
        }
        String root = alert.getChain().get(0).getPrincipalArn();
        if (!root.contains(":saml-provider/AWSSSO_")) {
            return null;
        }
        String[] parts = root.split(":", 7);
        return parts.length == 7 ? parts[6] : null;
    }
}
