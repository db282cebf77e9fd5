package io.trailhound.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.kafka.common.config.ConfigException;

import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.plan.PlanLines;
import io.trailhound.respond.plan.ResponsePlanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trailhound plan}: dry-run planning of the response runbooks for alerts given as JSON lines; changes nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Plan the response to alerts (JSON lines, as 'trailhound scan' prints them) without touching AWS.",
        "Prints one JSON line per runbook step: incidentId, alertId, runbook, order, phase, action, accountId, region, resource, "
            + "parameters, requiresApproval, approvalReason, skippedReason.",
        "Notes on unreadable lines and alerts without a runbook go to stderr."})
final class PlanCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ALERTS.jsonl",
        description = "Alerts, one JSON object per line (default: stdin).")
    private Path alerts;

    @Option(names = "--responder-config", paramLabel = "FILE",
        description = "Responder configuration (properties file); see responder/README.md.")
    private Path config;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
        description = "A responder configuration value; overrides --responder-config.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--now", paramLabel = "TIME",
        description = "Plan as of this ISO-8601 time (staleness and token cut-offs), e.g. to re-plan old alerts; default: now.")
    private Instant now;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ResponsePlanner planner;
        try {
            planner = ResponsePlanner.from(new ResponderConfig(configuration()));
        } catch (ConfigException e) {
            err.println("Invalid responder configuration: " + e.getMessage());
            return 2;
        }
        try (Reader reader = alerts == null ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                : Files.newBufferedReader(alerts, StandardCharsets.UTF_8)) {
            PlanLines.Summary summary = new PlanLines(planner).run(new BufferedReader(reader), spec.commandLine().getOut(), err,
                now == null ? Instant.now() : now);
            err.printf("planned %d step(s) for %d alert(s) (dry run, nothing changed)%s%n", summary.steps(), summary.alerts(),
                summary.rejected() == 0 ? "" : "; " + summary.rejected() + " line(s) were not alerts");
            return summary.rejected() == 0 ? 0 : 1;
        }
    }

    private Map<String, String> configuration() throws IOException {
        Map<String, String> props = new HashMap<>();
        if (config != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                file.load(reader);
            }
            file.stringPropertyNames().forEach(name -> props.put(name, file.getProperty(name)));
        }
        props.putAll(overrides);
        // planning never acts, whatever the file says
        props.put(ResponderConfig.DRY_RUN_CONFIG, "true");
        return props;
    }
}
