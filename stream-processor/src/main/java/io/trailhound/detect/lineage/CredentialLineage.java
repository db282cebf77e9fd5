package io.trailhound.detect.lineage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.trailhound.avro.ChainLink;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Principal;
import io.trailhound.detect.rules.EventView;

/**
 * Answers "who is really behind this access key": the chain of identities from the long-term identity that minted the first
 * temporary key down to the caller, read from the lineage store (access key id → chain), ignoring links older than the
 * longest credential lifetime.
 */
public final class CredentialLineage {

    /** Prefix of chains stored by session ARN rather than access key id (console and federated sign-in sessions, #18). */
    public static final String SESSION_PREFIX = "session:";
    private static final String SIGNIN = "signin.amazonaws.com";
    /** STS credentials live at most 36 hours (role chaining caps at 1 h, federation tokens at 36 h). */
    public static final Duration MAX_CREDENTIAL_LIFETIME = Duration.ofHours(36);
    /** Most stored chains joined to complete one (role chaining is rarely more than a few hops; bounds a corrupt cycle). */
    private static final int MAX_DEPTH = 10;

    private final ReadOnlyKeyValueStore<String, String> local;
    private final ReadOnlyKeyValueStore<String, String> store;

    /** @param store access key id → chain JSON ({@link ChainCodec}) */
    public CredentialLineage(ReadOnlyKeyValueStore<String, String> store) {
        this(null, store);
    }

    /**
     * @param local chains minted in this task, looked up first: they are there at once, while the shared store learns them
     *              only after the lineage topic round trip (null: none)
     * @param store access key id → chain JSON ({@link ChainCodec}), shared by all tasks
     */
    public CredentialLineage(ReadOnlyKeyValueStore<String, String> local, ReadOnlyKeyValueStore<String, String> store) {
        this.local = local;
        this.store = store;
    }

    /**
     * The chain behind {@code event}'s caller: the stored chain of its access key; else, for a console session (its calls, its
     * sign-in events) or a session of a role shared by many people, the stored chain of its session ARN (#18: a console session
     * goes on under keys no STS call in the trail minted); else the caller alone.
     */
    public List<ChainLink> chainOf(CloudTrailEvent event) {
        Principal p = event.getPrincipal();
        List<ChainLink> chain = chainOf(p, event.getEventTime());
        if (chain.size() == 1 && (Boolean.TRUE.equals(event.getSessionCredentialFromConsole())
                || SIGNIN.equals(event.getEventSource()) || sharedSession(p))) {
            List<ChainLink> session = sessionChain(p, event.getEventTime());
            return session != null ? session : chain;
        }
        return chain;
    }

    /** The stored chain of {@code p}'s session ARN (a console role switch, a SAML or federation sign-in), or null. */
    public List<ChainLink> sessionChain(Principal p, Instant at) {
        return p.getSessionArn() == null ? null : stored(SESSION_PREFIX + p.getSessionArn(), at);
    }

    /**
     * The chain of the console session a successful SwitchRole opens (#18): the chain of the identity it switched from
     * ({@code additionalEventData.SwitchFrom}: an IAM user, or a role or federated session whose own chain is stored) plus the
     * role, minted by the SwitchRole event. Empty for any other event.
     */
    public Optional<List<ChainLink>> switched(EventView view) {
        CloudTrailEvent e = view.event();
        Principal p = e.getPrincipal();
        String from = view.text("additionalEventData.SwitchFrom");
        if (!"SwitchRole".equals(e.getEventName()) || !"Success".equals(view.text("responseElements.SwitchRole")) || from == null
                || p.getSessionArn() == null || p.getArn() == null) {
            return Optional.empty();
        }
        List<ChainLink> known = stored(SESSION_PREFIX + from, e.getEventTime());
        List<ChainLink> chain = new ArrayList<>(known != null ? known : List.of(ChainLink.newBuilder()
                .setPrincipalArn(from.contains(":assumed-role/") ? roleOfSession(from) : from)
                .setAccountId(MintedCredential.accountOf(from)).build()));
        chain.add(ChainLink.newBuilder().setPrincipalArn(p.getArn()).setAccountId(p.getAccountId())
                .setMintedByEventName(e.getEventName()).setMintedByEventId(e.getEventId())
                .setMintedAt(Instant.ofEpochMilli(e.getEventTime().toEpochMilli())).build());
        return Optional.of(chain);
    }

    /** {@code arn:aws:sts::1:assumed-role/Name/session} as {@code arn:aws:iam::1:role/Name}. */
    static String roleOfSession(String sessionArn) {
        String[] parts = sessionArn.split(":", 6);
        String[] names = parts[5].split("/");
        return "arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + names[1];
    }

    /** A session of a role keyed per person (its principal key ends in the session name: SSO permission sets, SAML roles). */
    private static boolean sharedSession(Principal p) {
        return p.getSessionName() != null && p.getArn() != null
                && p.getPrincipalKey().endsWith(p.getArn() + "/" + p.getSessionName());
    }

    /** The chain behind a caller {@code p} acting at {@code at}: the stored chain of its access key, else the caller alone. */
    public List<ChainLink> chainOf(Principal p, Instant at) {
        return complete(List.of(self(p)), at);
    }

    /**
     * {@code chain} with its root completed: as long as the root is a caller (a link no STS call minted) acting with a key
     * whose chain is stored, the root is replaced by that chain. A chain is stored as its minter knew it: when a role session
     * assumed another role before the lineage round trip brought its own key's chain (both calls in one log file, processed by
     * two tasks), the stored chain starts at that session; reading it completes it once the session's chain has arrived.
     */
    public List<ChainLink> complete(List<ChainLink> chain, Instant at) {
        List<ChainLink> out = chain;
        Set<String> seen = new HashSet<>();
        for (int depth = 0; depth < MAX_DEPTH && !out.isEmpty(); depth++) {
            ChainLink root = out.get(0);
            String keyId = root.getAccessKeyId();
            if (root.getMintedAt() != null || keyId == null || !seen.add(keyId)) {
                break;
            }
            List<ChainLink> known = stored(keyId, at);
            if (known == null) {
                break;
            }
            List<ChainLink> joined = new ArrayList<>(known);
            joined.addAll(out.subList(1, out.size()));
            out = joined;
        }
        return out;
    }

    /** The stored chain of {@code keyId} if its key was minted within the credential lifetime before {@code at}, else null. */
    private List<ChainLink> stored(String keyId, Instant at) {
        String stored = local == null ? null : local.get(keyId);
        if (stored == null) {
            stored = store.get(keyId);
        }
        if (stored == null) {
            return null;
        }
        List<ChainLink> chain = ChainCodec.read(stored);
        ChainLink last = chain.get(chain.size() - 1);
        boolean fresh = last.getMintedAt() == null || Duration.between(last.getMintedAt(), at).compareTo(MAX_CREDENTIAL_LIFETIME) <= 0;
        return fresh ? chain : null;
    }

    /** The chain of credentials {@code minted} by {@code event}: the caller's chain plus the new identity. */
    public List<ChainLink> extend(CloudTrailEvent event, MintedCredential minted) {
        List<ChainLink> chain = new ArrayList<>(chainOf(event));
        chain.add(minted.link());
        return chain;
    }

    /** The caller as the only link. */
    public static ChainLink self(Principal p) {
        String arn = p.getArn() != null ? p.getArn() : p.getPrincipalKey();
        return ChainLink.newBuilder().setPrincipalArn(arn).setAccountId(p.getAccountId()).setAccessKeyId(p.getAccessKeyId()).build();
    }
}
