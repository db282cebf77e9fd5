package io.trailhound.detect.rules;

import java.util.Locale;

/** The comparisons a rule's field test can make; names are the lower-case {@code op} values of the rule files. */
public enum Operator {
    /** A value equals one of the given values. */
    EQ,
    /** Like {@code eq}, ignoring case. */
    IEQ,
    /** A value contains one of the given strings, ignoring case. */
    CONTAINS,
    /** A value starts with one of the given strings. */
    PREFIX,
    /** A value ends with one of the given strings. */
    SUFFIX,
    /** A value matches one of the given regular expressions (whole value). */
    REGEX,
    /** The path holds some non-null value. */
    EXISTS,
    /** The path holds nothing. */
    ABSENT,
    /** A numeric value is at least the given number. */
    GTE,
    /** A value differs from the value at the path named by {@code value} (e.g. the target user is not the caller). */
    NE_FIELD,
    /** A value equals the value at the path named by {@code value}. */
    EQ_FIELD,
    /** An ARN or account id at the path names a twelve-digit account other than the recipient account. */
    FOREIGN_ACCOUNT,
    /** An ARN or account id at the path names an account other than the recipient that is not in the organization. */
    OUTSIDE_ORGANIZATION,
    /** A resource policy at the path allows anyone ({@code "*"}) without a condition. */
    PUBLIC_POLICY,
    /** A policy at the path allows {@code "*"} as principal, conditions or not (for trust policies any wildcard is a door). */
    WILDCARD_PRINCIPAL,
    /** A resource policy at the path allows a principal of an account other than the recipient, outside the organization. */
    FOREIGN_POLICY,
    /** An IAM policy at the path allows every action on every resource. */
    ADMIN_POLICY;

    /** The operator named {@code op} in a rule file ({@code eq}, {@code ne_field}, ...). */
    public static Operator of(String op) {
        try {
            return valueOf(op.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown operator '" + op + "'", e);
        }
    }
}
