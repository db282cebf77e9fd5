package io.trailhound.respond.ssm;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * One Systems Manager Automation document generated from a runbook.
 *
 * @param runbookId the runbook it was generated from, e.g. {@code ec2-compromise}
 * @param name      the document name to create it under, e.g. {@code Trailhound-Ec2Compromise}
 * @param content   the document: schemaVersion, parameters, mainSteps, outputs
 */
public record AutomationDocument(String runbookId, String name, Map<String, Object> content) {

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
        // schemaVersion '0.3' is text, as are ids made of digits
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .build());

    /** The document as YAML, for {@code aws ssm create-document --document-format YAML}. */
    public String yaml() {
        return yaml(content);
    }

    static String yaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the document", e);
        }
    }
}
