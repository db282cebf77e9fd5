package io.trailhound.detect.environment;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The accounts of the monitored AWS organization: those configured ({@code trailhound.organization.accounts}) and those
 * learned from where an organization trail delivers their logs ({@code AWSLogs/o-<id>/<account>/CloudTrail/...}: only member
 * accounts appear there). Another account of the organization is then not "foreign" to a policy or a role hop. With no account
 * known, every other account is outside, as before.
 */
public final class Organization {

    /** At most this many accounts are learned (an organization has at most a few thousand; the rest is input noise). */
    public static final int MAX_LEARNED = 10_000;
    private static final Pattern ORG_TRAIL_KEY = Pattern.compile("(?:^|/)AWSLogs/o-[a-z0-9]{10,32}/(\\d{12})/");

    private final Set<String> configured;
    private final Set<String> learned = ConcurrentHashMap.newKeySet();

    /** An organization of the {@code configured} accounts (possibly none), to which more can be learned. */
    public Organization(Collection<String> configured) {
        this.configured = Set.copyOf(configured);
    }

    /** An organization of which nothing is known. */
    public static Organization unknown() {
        return new Organization(Set.of());
    }

    /** True when {@code account} is a known member. */
    public boolean isMember(String account) {
        return account != null && (configured.contains(account) || learned.contains(account));
    }

    /** True when no member is known (every other account then counts as outside). */
    public boolean isEmpty() {
        return configured.isEmpty() && learned.isEmpty();
    }

    /** True when {@code account} is neither {@code self} nor a member: outside the organization as far as we know. */
    public boolean isOutside(String account, String self) {
        return account != null && !account.equals(self) && !isMember(account);
    }

    /** Learns {@code account} as a member; true when it was not known. */
    public boolean learn(String account) {
        if (account == null || isMember(account) || learned.size() >= MAX_LEARNED) {
            return false;
        }
        return learned.add(account);
    }

    /** The member account named by an organization trail's object key ({@code .../AWSLogs/o-xxx/<account>/...}), or null. */
    public static String accountOfOrganizationTrailKey(String key) {
        if (key == null) {
            return null;
        }
        Matcher m = ORG_TRAIL_KEY.matcher(key);
        return m.find() ? m.group(1) : null;
    }
}
