package io.trailhound.respond.runbook;

import java.time.Instant;
import java.util.List;

import io.trailhound.avro.Alert;

/** A response recipe: turns an alert into the ordered steps that preserve evidence, contain the threat and tell people. */
public interface Runbook {

    /** Runbook id, e.g. {@code iam-user-compromise}. */
    String id();

    /**
     * The steps for {@code alert}, evidence first, then containment, then notification. Planning calls nothing: it works
     * from the alert alone, and executors resolve what only AWS knows (volumes, network interfaces) when the step runs.
     *
     * @param now the planning time; cut-offs such as {@code aws:TokenIssueTime} use it
     */
    List<Step> plan(Alert alert, Instant now);
}
