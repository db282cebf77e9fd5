package io.trailhound.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ResponseAction;

/**
 * What a demo run saw and used, for the command's exit status and for tests.
 *
 * @param summary        the incident summary, if any alert arrived
 * @param alerts         every alert (latest state)
 * @param actions        every response step (latest record)
 * @param leakedUserArn  the ARN whose key leaked in the sample
 * @param historyRecords CloudTrail records of the history
 * @param totalRecords   CloudTrail records in all
 * @param ports          loopback ports the pipeline listened on (broker, registry, Connect REST, GuardDuty endpoint)
 * @param registryPid    the schema registry's process id
 * @param tempDirs       temporary directories the run created
 * @param elapsed        wall-clock time from start to summary
 */
public record DemoResult(Optional<IncidentSummary> summary, List<Alert> alerts, List<ResponseAction> actions, String leakedUserArn,
        int historyRecords, int totalRecords, List<Integer> ports, Optional<Long> registryPid, List<Path> tempDirs, Duration elapsed) {
}
