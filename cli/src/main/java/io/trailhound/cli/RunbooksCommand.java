package io.trailhound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.runbook.Step;
import io.trailhound.respond.ssm.AutomationDocument;
import io.trailhound.respond.ssm.AutomationDocumentChecker;
import io.trailhound.respond.ssm.AutomationDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trailhound runbooks}: the built-in runbooks, and their export as Systems Manager Automation documents (#14). */
@Command(name = "runbooks", mixinStandardHelpOptions = true,
    description = "The built-in response runbooks: list them, show one, or export them as Systems Manager Automation documents.",
    subcommands = {RunbooksCommand.ListRunbooks.class, RunbooksCommand.ShowRunbook.class, RunbooksCommand.ExportRunbooks.class})
final class RunbooksCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The responder configuration the runbooks are planned with (forensic options, group names, trusted accounts). */
    static final class Settings {

        @Option(names = "--responder-config", paramLabel = "FILE",
            description = "Responder configuration (properties file); see responder/README.md.")
        private Path config;

        @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "A responder configuration value; overrides --responder-config.")
        private Map<String, String> overrides = new LinkedHashMap<>();

        AutomationDocuments documents() throws IOException {
            Map<String, String> props = new HashMap<>();
            if (config != null) {
                Properties file = new Properties();
                try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                    file.load(reader);
                }
                file.stringPropertyNames().forEach(name -> props.put(name, file.getProperty(name)));
            }
            props.putAll(overrides);
            return new AutomationDocuments(new ResponderConfig(props).runbookSettings());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per runbook: id, phases, steps, approval gates.")
    static final class ListRunbooks implements Callable<Integer> {

        @Spec
        private CommandSpec spec;
        @Mixin
        private Settings settings;

        @Override
        public Integer call() throws IOException {
            AutomationDocuments documents = settings.documents();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-32s %-30s %5s  %s%n", "RUNBOOK", "PHASES", "STEPS", "APPROVAL GATES");
            for (String id : documents.runbookIds()) {
                List<Step> steps = documents.plan(id);
                String phases = steps.stream().map(s -> s.phase().name()).collect(Collectors.toCollection(LinkedHashSet::new)).stream()
                    .collect(Collectors.joining(" > "));
                String gates = steps.stream().filter(Step::requiresApproval).map(Step::name).collect(Collectors.joining(", "));
                out.printf("%-32s %-30s %5d  %s%n", id, phases, steps.size(), gates.isEmpty() ? "-" : gates);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = "The steps of one runbook in order (phase, action, step, approval), or its Automation document.")
    static final class ShowRunbook implements Callable<Integer> {

        @Spec
        private CommandSpec spec;
        @Mixin
        private Settings settings;

        @Parameters(index = "0", paramLabel = "ID", description = "Runbook id, e.g. ec2-compromise.")
        private String id;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "steps",
            description = "steps (default) or ssm (the Automation document, YAML).")
        private String format;

        @Override
        public Integer call() throws IOException {
            AutomationDocuments documents = settings.documents();
            PrintWriter out = spec.commandLine().getOut();
            if (!documents.runbookIds().contains(id)) {
                spec.commandLine().getErr().println("Unknown runbook '" + id + "'; known: " + documents.runbookIds());
                return 2;
            }
            if ("ssm".equals(format)) {
                out.print(documents.document(id).orElseThrow().yaml());
                return 0;
            }
            int order = 1;
            for (Step step : documents.plan(id)) {
                out.printf("%2d  %-11s %-45s %-40s %s%n", order++, step.phase(), step.action().id(), step.name(),
                    step.destructive() ? "approval (destructive)" : step.requiresApproval() ? "approval" : "");
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write one Systems Manager Automation document (schema 0.3, YAML) per built-in runbook into DIR.",
            "Create each with: aws ssm create-document --document-type Automation --document-format YAML "
                + "--name NAME --content file://DIR/NAME.yaml"})
    static final class ExportRunbooks implements Callable<Integer> {

        @Spec
        private CommandSpec spec;
        @Mixin
        private Settings settings;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "ssm", description = "ssm (the only format).")
        private String format;

        @Option(names = "--output", paramLabel = "DIR", required = true, description = "Directory the documents are written to.")
        private Path output;

        @Override
        public Integer call() throws IOException {
            if (!"ssm".equals(format)) {
                spec.commandLine().getErr().println("Unknown format '" + format + "'; only ssm is supported");
                return 2;
            }
            Files.createDirectories(output);
            for (AutomationDocument document : settings.documents().all()) {
                List<String> problems = AutomationDocumentChecker.check(document.yaml());
                if (!problems.isEmpty()) {
                    spec.commandLine().getErr().println(document.name() + " is not a valid Automation document: " + problems);
                    return 1;
                }
                Path file = output.resolve(document.name() + ".yaml");
                Files.writeString(file, document.yaml(), StandardCharsets.UTF_8);
                spec.commandLine().getOut().printf("%s  %s (%s)%n", file, document.name(), document.runbookId());
            }
            return 0;
        }
    }
}
