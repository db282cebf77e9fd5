package io.trailhound.detect.environment;

import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * What detection knows about the monitored environment beyond one principal's history: AWS's address ranges, the accounts of
 * the organization, and the identities that are automation (CI/CD, infrastructure as code). Rules read it through the
 * {@code context.*} fields of an event.
 *
 * @param ipRanges     AWS's published ranges
 * @param organization the organization's accounts
 * @param automation   role or user ARN patterns of automation identities ({@code *} matches any run of characters)
 */
public record Environment(AwsIpRanges ipRanges, Organization organization, List<Pattern> automation) {

    public Environment {
        automation = List.copyOf(automation);
    }

    /** The bundled AWS ranges, no organization accounts and no automation identities (tests and offline defaults). */
    public static Environment defaults() {
        return new Environment(AwsIpRanges.builtIn(), Organization.unknown(), List.of());
    }

    /** True when {@code arn} (a user or role ARN) is a configured automation identity. */
    public boolean isAutomation(String arn) {
        if (arn == null) {
            return false;
        }
        for (Pattern p : automation) {
            if (p.matcher(arn).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The pattern of a glob where {@code *} matches any run of characters and everything else is literal. */
    public static Pattern glob(String glob) {
        StringJoiner regex = new StringJoiner(".*");
        for (String part : glob.split("\\*", -1)) {
            regex.add(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
