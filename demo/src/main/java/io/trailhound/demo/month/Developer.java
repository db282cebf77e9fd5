package io.trailhound.demo.month;

import java.time.Instant;
import java.util.List;

/**
 * A developer: an IAM user of the dev account with an access key, a laptop, an office network and one or two home networks.
 * The key changes when the developer rotates it, which is why this is not a record.
 */
final class Developer {

    final String name;
    final String userId;
    /** The laptop's OS as SDK user agents write it. */
    final String os;
    final String officePrefix;
    /** Home addresses: the first until {@code churnDay}, then the second (a new lease from the ISP). */
    final List<String> homes;
    final int churnDay;
    /** First day of work: 0 for people already there, later for new hires. */
    final int startDay;
    /** Tools the developer uses: cli, boto3, terraform, go. */
    final List<String> tools;
    private String key;

    /**
     * Where a developer works from.
     *
     * @param officePrefix the office network's /24 prefix
     * @param homes        home addresses, the second one from {@code churnDay}
     * @param churnDay     day the ISP hands out a new address (when there are two)
     */
    record Places(String officePrefix, List<String> homes, int churnDay) {
    }

    Developer(String name, String userId, String os, Places places, int startDay, List<String> tools, String key) {
        this.name = name;
        this.userId = userId;
        this.os = os;
        this.officePrefix = places.officePrefix();
        this.homes = List.copyOf(places.homes());
        this.churnDay = places.churnDay();
        this.startDay = startDay;
        this.tools = List.copyOf(tools);
        this.key = key;
    }

    String key() {
        return key;
    }

    void useKey(String value) {
        key = value;
    }

    /** The user calling with its access key. */
    Who withKey() {
        return Who.user(Org.DEV, name, userId, key);
    }

    /** The user signing in: CloudTrail's sign-in records carry no access key. */
    Who signingIn() {
        return Who.user(Org.DEV, name, userId, null);
    }

    /** A console session started at {@code since} with the temporary key {@code sessionKey}, MFA-authenticated. */
    Who console(String sessionKey, Instant since) {
        return Who.user(Org.DEV, name, userId, sessionKey).session(sessionKey, since).withMfa();
    }

    String home(int day) {
        return homes.size() > 1 && day >= churnDay ? homes.get(1) : homes.get(0);
    }

    String mfaSerial() {
        return "arn:aws:iam::" + Org.DEV + ":mfa/" + name;
    }

    String userAgent(String tool, Op op) {
        return switch (tool) {
            case "boto3" -> Agents.boto3(os.startsWith("macos") ? "macos#24.0.0" : os);
            case "terraform" -> Agents.terraform(op.api());
            case "go" -> Agents.goSdk(op.api());
            default -> Agents.cli(os, op.command());
        };
    }
}
