package io.trailhound.respond.ssm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks an Automation document against AWS's documentation of the schema 0.3 (Systems Manager user guide, "Creating your
 * own runbooks" and "Automation actions reference"): required fields, known action names and their required inputs, unique
 * step names, {@code {{ }}} references resolving to parameters, automation/global variables or outputs of earlier steps
 * ({@code {{ step.Output }}}), and {@code nextStep}/{@code onFailure} targets that exist. Returns the problems found.
 */
public final class AutomationDocumentChecker {

    /** A {@code {{ name }}} reference in a document. */
    static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");

    private static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9_]{1,128}");
    private static final Set<String> TOP_LEVEL = Set.of("schemaVersion", "description", "assumeRole", "parameters", "mainSteps",
        "outputs", "files");
    private static final Set<String> STEP_FIELDS = Set.of("name", "action", "inputs", "outputs", "onFailure", "onCancel", "nextStep",
        "isEnd", "isCritical", "maxAttempts", "timeoutSeconds", "description");
    private static final Set<String> PARAMETER_TYPES = Set.of("String", "StringList", "Integer", "Boolean", "MapList", "StringMap");
    private static final Set<String> VARIABLES = Set.of("global:ACCOUNT_ID", "global:REGION", "global:AWS_PARTITION", "global:DATE",
        "global:DATE_TIME", "automation:EXECUTION_ID");
    /** Every action of the schema, with the inputs it requires. */
    private static final Map<String, Set<String>> ACTIONS = new HashMap<>();
    /** Outputs an action has without declaring them. */
    private static final Map<String, Set<String>> PREDETERMINED = Map.of(
        "aws:approve", Set.of("ApprovalStatus", "ApproverDecisions"),
        "aws:executeScript", Set.of("OutputPayload"),
        "aws:runCommand", Set.of("CommandId", "Status", "ResponseCode", "Output"));

    static {
        ACTIONS.put("aws:approve", Set.of("Approvers"));
        ACTIONS.put("aws:assertAwsResourceProperty", Set.of("Service", "Api", "PropertySelector", "DesiredValues"));
        ACTIONS.put("aws:branch", Set.of("Choices"));
        ACTIONS.put("aws:changeInstanceState", Set.of("InstanceIds", "DesiredState"));
        ACTIONS.put("aws:copyImage", Set.of("SourceImageId", "SourceRegion", "ImageName"));
        ACTIONS.put("aws:createImage", Set.of("InstanceId", "ImageName"));
        ACTIONS.put("aws:createStack", Set.of("StackName"));
        ACTIONS.put("aws:createTags", Set.of("ResourceIds", "Tags"));
        ACTIONS.put("aws:deleteImage", Set.of("ImageId"));
        ACTIONS.put("aws:deleteStack", Set.of("StackName"));
        ACTIONS.put("aws:executeAutomation", Set.of("DocumentName"));
        ACTIONS.put("aws:executeAwsApi", Set.of("Service", "Api"));
        ACTIONS.put("aws:executeScript", Set.of("Runtime", "Handler"));
        ACTIONS.put("aws:executeStateMachine", Set.of("stateMachineArn"));
        ACTIONS.put("aws:invokeLambdaFunction", Set.of("FunctionName"));
        ACTIONS.put("aws:invokeWebhook", Set.of("IntegrationName"));
        ACTIONS.put("aws:loop", Set.of("Iterators", "Steps"));
        ACTIONS.put("aws:pause", Set.of());
        ACTIONS.put("aws:runCommand", Set.of("DocumentName"));
        ACTIONS.put("aws:runInstances", Set.of("ImageId"));
        ACTIONS.put("aws:sleep", Set.of());
        ACTIONS.put("aws:updateVariable", Set.of("Name", "Value"));
        ACTIONS.put("aws:waitForAwsResourceProperty", Set.of("Service", "Api", "PropertySelector", "DesiredValues"));
    }

    private static final YAMLMapper YAML = new YAMLMapper();

    private AutomationDocumentChecker() {
    }

    /** The problems of the YAML document {@code yaml}; empty when it is valid. */
    public static List<String> check(String yaml) {
        JsonNode document;
        try {
            document = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            return List.of("not YAML: " + e.getOriginalMessage());
        }
        List<String> problems = new ArrayList<>();
        if (document == null || !document.isObject()) {
            return List.of("the document is not a mapping");
        }
        document.fieldNames().forEachRemaining(field -> {
            if (!TOP_LEVEL.contains(field)) {
                problems.add("unknown top-level field '" + field + "'");
            }
        });
        if (!document.path("schemaVersion").isTextual() || !"0.3".equals(document.path("schemaVersion").asText())) {
            problems.add("schemaVersion must be '0.3', was '" + document.path("schemaVersion").asText() + "'");
        }
        Set<String> parameters = parameters(document.path("parameters"), problems);
        JsonNode steps = document.path("mainSteps");
        if (!steps.isArray() || steps.isEmpty()) {
            problems.add("mainSteps must be a non-empty list");
            return problems;
        }
        Set<String> names = new HashSet<>();
        steps.forEach(step -> {
            String name = step.path("name").asText();
            if (!names.add(name)) {
                problems.add("step name '" + name + "' is not unique");
            }
        });
        Map<String, Set<String>> outputs = new HashMap<>();
        checkReferences("assumeRole", document.path("assumeRole"), parameters, outputs, problems);
        for (JsonNode step : steps) {
            checkStep(step, names, parameters, outputs, problems);
            outputs.put(step.path("name").asText(), outputNames(step));
        }
        for (JsonNode output : document.path("outputs")) {
            String[] parts = output.asText().split("\\.", 2);
            if (parts.length != 2 || !outputs.getOrDefault(parts[0], Set.of()).contains(parts[1])) {
                problems.add("document output '" + output.asText() + "' is no step's output");
            }
        }
        return problems;
    }

    private static Set<String> parameters(JsonNode node, List<String> problems) {
        Set<String> names = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> parameter = it.next();
            names.add(parameter.getKey());
            if (!PARAMETER_TYPES.contains(parameter.getValue().path("type").asText())) {
                problems.add("parameter '" + parameter.getKey() + "' has no valid type: " + parameter.getValue().path("type").asText());
            }
        }
        return names;
    }

    private static void checkStep(JsonNode step, Set<String> names, Set<String> parameters, Map<String, Set<String>> earlier,
                                  List<String> problems) {
        String name = step.path("name").asText();
        if (!STEP_NAME.matcher(name).matches()) {
            problems.add("step name '" + name + "' must be 1-128 letters, digits or underscores");
        }
        step.fieldNames().forEachRemaining(field -> {
            if (!STEP_FIELDS.contains(field)) {
                problems.add(name + ": unknown step field '" + field + "'");
            }
        });
        String action = step.path("action").asText();
        Set<String> required = ACTIONS.get(action);
        if (required == null) {
            problems.add(name + ": unknown action '" + action + "'");
        } else {
            for (String input : required) {
                if (step.path("inputs").path(input).isMissingNode()) {
                    problems.add(name + ": " + action + " needs input " + input);
                }
            }
        }
        if ("aws:executeScript".equals(action) && step.path("inputs").path("Script").isMissingNode()
            && step.path("inputs").path("Attachment").isMissingNode()) {
            problems.add(name + ": aws:executeScript needs a Script or an Attachment");
        }
        for (JsonNode output : step.path("outputs")) {
            if (output.path("Name").asText().isEmpty() || output.path("Selector").asText().isEmpty()
                || !PARAMETER_TYPES.contains(output.path("Type").asText())) {
                problems.add(name + ": output needs Name, Selector and a Type of " + PARAMETER_TYPES + ": " + output);
            }
        }
        checkTarget(name, "nextStep", step.path("nextStep"), false, names, problems);
        checkTarget(name, "onFailure", step.path("onFailure"), true, names, problems);
        checkTarget(name, "onCancel", step.path("onCancel"), true, names, problems);
        checkReferences(name, step.path("inputs"), parameters, earlier, problems);
    }

    private static void checkTarget(String name, String field, JsonNode target, boolean prefixed, Set<String> names,
                                    List<String> problems) {
        if (target.isMissingNode()) {
            return;
        }
        String value = target.asText();
        if (prefixed && (value.equals("Abort") || value.equals("Continue"))) {
            return;
        }
        String step = prefixed && value.startsWith("step:") ? value.substring("step:".length()) : prefixed ? null : value;
        if (step == null || !names.contains(step)) {
            problems.add(name + ": " + field + " '" + value + "' names no step");
        }
    }

    private static void checkReferences(String where, JsonNode node, Set<String> parameters, Map<String, Set<String>> earlier,
                                        List<String> problems) {
        if (node.isContainerNode()) {
            node.forEach(child -> checkReferences(where, child, parameters, earlier, problems));
            return;
        }
        Matcher references = REFERENCE.matcher(node.asText());
        while (references.find()) {
            String reference = references.group(1);
            String[] stepOutput = reference.split("\\.", 2);
            boolean resolves = parameters.contains(reference) || VARIABLES.contains(reference)
                || stepOutput.length == 2 && earlier.getOrDefault(stepOutput[0], Set.of()).contains(stepOutput[1]);
            if (!resolves) {
                problems.add(where + ": reference {{ " + reference + " }} is no parameter, variable or earlier step's output");
            }
        }
    }

    private static Set<String> outputNames(JsonNode step) {
        Set<String> names = new HashSet<>(PREDETERMINED.getOrDefault(step.path("action").asText(), Set.of()));
        step.path("outputs").forEach(output -> names.add(output.path("Name").asText()));
        return names;
    }
}
