package io.trailhound.access;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A policy document with the name it is cited by (a managed policy's ARN, or {@code owner/inline-name} for an inline one).
 * An {@code unknown} document stands for a policy the snapshot references but does not contain: it may allow and may deny
 * anything, so every decision it takes part in is at best CONDITIONAL and names it.
 */
public record PolicyDocument(String name, List<Statement> statements, boolean unknown) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public PolicyDocument {
        statements = List.copyOf(statements);
    }

    /** A referenced policy missing from the snapshot. */
    static PolicyDocument unknown(String name) {
        return new PolicyDocument(name, List.of(), true);
    }

    /**
     * Parses a document given as a JSON object or as a string (URL-encoded, as IAM returns it, or plain JSON text).
     * {@code where} names the file and field for a one-line error.
     */
    static PolicyDocument parse(String name, JsonNode node, String where) {
        JsonNode doc = node;
        if (node != null && node.isTextual()) {
            doc = fromText(node.asText(), where);
        }
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException(where + ": missing or not a policy document");
        }
        JsonNode statement = doc.get("Statement");
        if (statement == null) {
            throw new IllegalArgumentException(where + ".Statement: missing");
        }
        List<Statement> statements = new ArrayList<>();
        if (statement.isArray()) {
            for (int i = 0; i < statement.size(); i++) {
                statements.add(Statement.parse(statement.get(i), i, where + ".Statement[" + i + "]"));
            }
        } else {
            statements.add(Statement.parse(statement, 0, where + ".Statement"));
        }
        return new PolicyDocument(name, statements, false);
    }

    /** A document given as text (URL-encoded as IAM returns it, or JSON text) as its JSON object. */
    static JsonNode decode(String text, String where) {
        return fromText(text, where);
    }

    private static JsonNode fromText(String text, String where) {
        String trimmed = text.trim();
        String json = trimmed.startsWith("{") ? trimmed
            : URLDecoder.decode(trimmed.replace("+", "%2B"), StandardCharsets.UTF_8);
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not a JSON policy document (" + e.getOriginalMessage() + ")", e);
        }
    }
}
