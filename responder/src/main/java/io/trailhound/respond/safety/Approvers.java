package io.trailhound.respond.safety;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigException;

import io.trailhound.respond.runbook.GlobPattern;
import io.trailhound.signing.Ed25519Keys;

/**
 * Who may approve what (#19): each approver's public key, and the runbooks and accounts whose steps they may decide on, read
 * from three keys per approver in the responder's configuration:
 * {@code responder.approver.NAME.public.key} (base64 X.509 Ed25519 key, as {@code trailhound keygen approver} prints it),
 * {@code responder.approver.NAME.runbooks} and {@code responder.approver.NAME.accounts} (comma-separated globs, {@code *}
 * for all). All three are required: an approver's scope is never implied.
 */
public final class Approvers {

    /** The prefix of every approver key. */
    public static final String PREFIX = "responder.approver.";
    /** Suffix of the key holding an approver's public key. */
    public static final String PUBLIC_KEY = ".public.key";
    /** Suffix of the key holding the runbook globs an approver may decide on. */
    public static final String RUNBOOKS = ".runbooks";
    /** Suffix of the key holding the account globs an approver may decide on. */
    public static final String ACCOUNTS = ".accounts";
    private static final List<String> SUFFIXES = List.of(PUBLIC_KEY, RUNBOOKS, ACCOUNTS);
    private static final String NAME = "[A-Za-z0-9._@-]{1,64}";

    private final Map<String, Approver> byName;

    private Approvers(Map<String, Approver> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** No approvers: every signed decision is from an unknown signer. */
    public static Approvers none() {
        return new Approvers(Map.of());
    }

    /** The approvers named by the {@value #PREFIX} keys of {@code props}; other keys are ignored. */
    public static Approvers from(Map<String, ?> props) {
        Map<String, Map<String, String>> parts = new TreeMap<>();
        for (Map.Entry<String, ?> entry : props.entrySet()) {
            if (!entry.getKey().startsWith(PREFIX)) {
                continue;
            }
            String rest = entry.getKey().substring(PREFIX.length());
            String suffix = SUFFIXES.stream().filter(rest::endsWith).findFirst().orElseThrow(() -> new ConfigException(entry.getKey(),
                entry.getValue(), "unknown approver key: expected " + PREFIX + "NAME{" + String.join(",", SUFFIXES) + "}"));
            String name = rest.substring(0, rest.length() - suffix.length());
            if (!name.matches(NAME)) {
                throw new ConfigException(entry.getKey(), entry.getValue(), "approver name must be 1-64 of A-Z a-z 0-9 . _ @ -");
            }
            parts.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(suffix, String.valueOf(entry.getValue()));
        }
        Map<String, Approver> approvers = new LinkedHashMap<>();
        parts.forEach((name, values) -> approvers.put(name, approver(name, values)));
        return new Approvers(approvers);
    }

    private static Approver approver(String name, Map<String, String> values) {
        for (String suffix : SUFFIXES) {
            if (!values.containsKey(suffix) || values.get(suffix).isBlank()) {
                throw new ConfigException(PREFIX + name + suffix, null, "approver '" + name + "' needs all of "
                    + PREFIX + name + "{" + String.join(",", SUFFIXES) + "}; a scope is never implied (use * for all)");
            }
        }
        PublicKey key;
        try {
            key = Ed25519Keys.parsePublicKey(values.get(PUBLIC_KEY));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PREFIX + name + PUBLIC_KEY, values.get(PUBLIC_KEY), e.getMessage());
        }
        return new Approver(name, key, globs(values.get(RUNBOOKS)), globs(values.get(ACCOUNTS)));
    }

    private static List<GlobPattern> globs(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(GlobPattern::new).toList();
    }

    /** The approver called {@code name}. */
    public Optional<Approver> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The approvers' names. */
    public Set<String> names() {
        return byName.keySet();
    }

    /**
     * One approver.
     *
     * @param name     the name decisions carry in {@code approver}
     * @param key      the public key their signatures verify with
     * @param runbooks globs of the runbook ids they may decide on
     * @param accounts globs of the account ids they may decide on
     */
    public record Approver(String name, PublicKey key, List<GlobPattern> runbooks, List<GlobPattern> accounts) {

        /** Whether this approver may decide on a step of {@code runbook} in {@code account}. */
        public boolean mayDecide(String runbook, String account) {
            return runbooks.stream().anyMatch(g -> g.matches(runbook)) && accounts.stream().anyMatch(g -> g.matches(account));
        }
    }
}
