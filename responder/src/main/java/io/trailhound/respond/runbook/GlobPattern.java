package io.trailhound.respond.runbook;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob over ARNs and finding types: {@code *} matches any run of characters (slashes and colons included), {@code ?}
 * exactly one, everything else itself, case-sensitively.
 */
public final class GlobPattern {

    private final String glob;
    private final Pattern regex;

    public GlobPattern(String glob) {
        this.glob = Objects.requireNonNull(glob, "glob");
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        this.regex = Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Whether {@code text} matches the whole glob; {@code null} never matches. */
    public boolean matches(String text) {
        return text != null && regex.matcher(text).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
