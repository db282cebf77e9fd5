package io.trailhound.detect.baseline;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.trailhound.detect.lineage.FederatedSubject;
import io.trailhound.detect.rules.EventView;

/**
 * A property of a principal's activity whose values the baseline learns: network, user-agent family, region, role, account,
 * the (non-read-only) APIs it calls, the federated subjects and namespaces a role serves, and MFA at console sign-in. New
 * dimensions go last: the stored form names a dimension by its ordinal.
 */
public enum BaselineDimension {
    /** Source IPv4 /24 or IPv6 /48 network. */
    SOURCE_NETWORK,
    /** User-agent family: the product token, e.g. aws-cli, boto3, mozilla, console.amazonaws.com. */
    USER_AGENT_FAMILY,
    /** Region called. */
    REGION,
    /** Role ARN assumed (AssumeRole* calls). */
    ROLE_ASSUMED,
    /** Account of the role assumed (cross-account hops). */
    TARGET_ACCOUNT,
    /** API called, as {@code <service>:<eventName>}, for calls that are not read-only (read-only calls are too many to keep). */
    API_CALLED,
    /** Federated subject (OIDC {@code sub}, SAML NameID) that assumed the role: learned per role (#18). */
    FEDERATED_SUBJECT,
    /** Namespace of that subject (provider, audience and, for GitHub-style subjects, organization): learned per role (#18). */
    SUBJECT_NAMESPACE,
    /** Whether a successful console sign-in used MFA ({@code mfa} or {@code no-mfa}, #18). */
    CONSOLE_MFA,
    /** Identity a console SwitchRole into the role came from ({@code SwitchFrom}): learned per role (#18). */
    SWITCHED_FROM;

    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]+:[0-9a-fA-F:]*");

    /** The rule-file name of this dimension, e.g. {@code sourceNetwork}. */
    public String id() {
        String[] words = name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder sb = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            sb.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return sb.toString();
    }

    /** The dimension named {@code id} in a rule file. */
    public static BaselineDimension of(String id) {
        for (BaselineDimension d : values()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown baseline dimension '" + id + "'");
    }

    /** This dimension's value in {@code view}, if the event has one. */
    public Optional<String> valueOf(EventView view) {
        return Optional.ofNullable(switch (this) {
            case SOURCE_NETWORK -> network(view.event().getSourceIpAddress());
            case USER_AGENT_FAMILY -> family(view.event().getUserAgent());
            case REGION -> view.event().getAwsRegion().isEmpty() ? null : view.event().getAwsRegion();
            case ROLE_ASSUMED -> isAssume(view) ? view.text("requestParameters.roleArn") : null;
            case TARGET_ACCOUNT -> isAssume(view) ? account(view.text("requestParameters.roleArn")) : null;
            case API_CALLED -> apiCalled(view);
            case FEDERATED_SUBJECT -> FederatedSubject.of(view).map(FederatedSubject::subject).orElse(null);
            case SUBJECT_NAMESPACE -> FederatedSubject.of(view).map(FederatedSubject::namespace).orElse(null);
            case CONSOLE_MFA -> consoleMfa(view);
            case SWITCHED_FROM -> "SwitchRole".equals(view.event().getEventName()) && view.event().getErrorCode() == null
                    ? view.text("additionalEventData.SwitchFrom") : null;
        });
    }

    /** MFA use of a successful console sign-in (a failed one says nothing about the second factor). */
    private static String consoleMfa(EventView view) {
        if (!"ConsoleLogin".equals(view.event().getEventName()) || !"Success".equals(view.text("responseElements.ConsoleLogin"))) {
            return null;
        }
        String used = view.text("additionalEventData.MFAUsed");
        return used == null ? null : "Yes".equals(used) ? "mfa" : "no-mfa";
    }

    private static String apiCalled(EventView view) {
        if (Boolean.TRUE.equals(view.event().getReadOnly()) || view.event().getErrorCode() != null) {
            return null;
        }
        String source = view.event().getEventSource();
        int dot = source == null ? -1 : source.indexOf('.');
        return (dot > 0 ? source.substring(0, dot) : String.valueOf(source)) + ":" + view.event().getEventName();
    }

    private static boolean isAssume(EventView view) {
        return view.event().getEventName().startsWith("AssumeRole") && view.event().getErrorCode() == null;
    }

    static String network(String ip) {
        if (ip == null) {
            return null;
        }
        String v4 = ipv4Network(ip);
        if (v4 != null) {
            return v4;
        }
        if (ip.indexOf(':') >= 0 && IPV6.matcher(ip).matches()) {
            String[] parts = ip.split(":", -1);
            return parts.length >= 3 ? parts[0] + ":" + parts[1] + ":" + parts[2] + "::/48" : null;
        }
        return null;
    }

    /** {@code a.b.c.0/24} for a dotted quad of 1–3 digit groups (as the former pattern accepted), else null. */
    private static String ipv4Network(String ip) {
        int groups = 0;
        int digits = 0;
        int thirdEnd = -1;
        for (int i = 0; i < ip.length(); i++) {
            char c = ip.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return null;
                }
            } else if (c == '.' && digits > 0 && groups < 3) {
                groups++;
                digits = 0;
                if (groups == 3) {
                    thirdEnd = i;
                }
            } else {
                return null;
            }
        }
        return groups == 3 && digits > 0 ? ip.substring(0, thirdEnd) + ".0/24" : null;
    }

    static String family(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return null;
        }
        String ua = userAgent.trim();
        if (isAwsInternal(ua)) {
            // AWS acting for the principal (the sign-in service switching roles, the console's own back end): not a client
            // the principal chose, so never "new" to it
            return null;
        }
        int start = ua.startsWith("[") ? 1 : 0;
        int end = start;
        while (end < ua.length() && ua.charAt(end) != '/' && ua.charAt(end) != ' ') {
            end++;
        }
        String token = ua.substring(start, end).toLowerCase(Locale.ROOT);
        return token.isEmpty() ? null : token;
    }

    private static boolean isAwsInternal(String ua) {
        String lower = ua.toLowerCase(Locale.ROOT);
        return lower.startsWith("aws signin") || lower.startsWith("aws internal") || lower.startsWith("aws-internal")
                || lower.startsWith("[aws-internal") || lower.startsWith("coral/");
    }

    private static String account(String arn) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":");
        return parts.length >= 5 && !parts[4].isEmpty() ? parts[4] : null;
    }
}
