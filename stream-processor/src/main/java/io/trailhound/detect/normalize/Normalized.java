package io.trailhound.detect.normalize;

import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.GuardDutyFinding;

/** The outcome of normalizing one raw record: a CloudTrail event, a GuardDuty finding, or a rejection with its reason. */
public sealed interface Normalized {

    /** Event time in epoch milliseconds; 0 for a rejection. */
    long eventTimeMillis();

    /** A CloudTrail record normalized to the Avro type. */
    record Event(CloudTrailEvent event) implements Normalized {
        @Override
        public long eventTimeMillis() {
            return event.getEventTime().toEpochMilli();
        }
    }

    /** A GuardDuty finding normalized to the Avro type. */
    record Finding(GuardDutyFinding finding) implements Normalized {
        @Override
        public long eventTimeMillis() {
            return finding.getUpdatedAt().toEpochMilli();
        }
    }

    /** Input that cannot be processed, with a one-line reason for the dead-letter topic. */
    record Rejected(String reason) implements Normalized {
        @Override
        public long eventTimeMillis() {
            return 0L;
        }
    }
}
