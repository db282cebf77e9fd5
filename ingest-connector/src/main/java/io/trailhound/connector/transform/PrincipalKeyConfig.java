package io.trailhound.connector.transform;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.trailhound.keying.PrincipalKeys;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Typed configuration of the {@link PrincipalKey} transform. */
public final class PrincipalKeyConfig extends AbstractConfig {

    public static final String SHARED_ROLE_PATTERNS_CONFIG = "shared.role.patterns";
    public static final String KIND_CONFIG = "kind";

    /** The stream processor's default of {@code trailhound.principal.shared.role.patterns}: IAM Identity Center roles. */
    public static final String DEFAULT_SHARED_ROLE_PATTERNS = "AWSReservedSSO_.*";

    /** What records the transform keys. */
    public enum Kind {
        /** CloudTrail records or GuardDuty findings, told apart by shape exactly as the stream processor does. */
        AUTO,
        /** CloudTrail records only; a GuardDuty finding passes unkeyed. */
        CLOUDTRAIL,
        /** GuardDuty findings only; anything else passes unkeyed. */
        GUARDDUTY
    }

    /** The definition of every key. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(SHARED_ROLE_PATTERNS_CONFIG, Type.LIST, DEFAULT_SHARED_ROLE_PATTERNS, new PatternList(),
            Importance.MEDIUM, "Regular expressions of role names shared by many people (SSO permission sets, SAML roles), whose "
                + "sessions are keyed on role + session name; must equal the stream processor's "
                + "trailhound.principal.shared.role.patterns.")
        .define(KIND_CONFIG, Type.STRING, "auto", ConfigDef.CaseInsensitiveValidString.in("auto", "cloudtrail", "guardduty"),
            Importance.MEDIUM, "Records keyed: auto (CloudTrail records by durable principal and GuardDuty findings by finding id, "
                + "told apart by shape as the stream processor does), cloudtrail or guardduty (records of the other kind pass "
                + "unkeyed).");

    private final PrincipalKeys keys;
    private final Kind kind;

    /** Parses and validates {@code props}. */
    public PrincipalKeyConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
        this.keys = PrincipalKeys.of(getList(SHARED_ROLE_PATTERNS_CONFIG));
        this.kind = Kind.valueOf(getString(KIND_CONFIG).trim().toUpperCase(Locale.ROOT));
    }

    /** The keying rules with the configured shared roles. */
    public PrincipalKeys keys() {
        return keys;
    }

    /** What records are keyed. */
    public Kind kind() {
        return kind;
    }

    /** Each element compiles as a regular expression. */
    private static final class PatternList implements ConfigDef.Validator {

        @Override
        public void ensureValid(String name, Object value) {
            if (!(value instanceof List<?> patterns)) {
                throw new ConfigException(name, value, "a comma-separated list of regular expressions");
            }
            for (Object pattern : patterns) {
                try {
                    Pattern.compile(String.valueOf(pattern).trim());
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(name, pattern, "not a regular expression: " + e.getDescription());
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated regular expressions";
        }
    }
}
