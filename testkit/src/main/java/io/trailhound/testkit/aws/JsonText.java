package io.trailhound.testkit.aws;

/** The little JSON the stubs write themselves (error bodies), so main scope needs no JSON library. */
final class JsonText {

    private JsonText() {
    }

    /** An AWS JSON error body: {@code {"__type":"...","message":"..."}}. */
    static String error(String type, String message) {
        return "{\"__type\":" + quote(type) + ",\"message\":" + quote(message) + "}";
    }

    /** A JSON string literal for {@code text}. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
