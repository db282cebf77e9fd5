package io.trailhound.connector.cloudtrail;

/** A trail file that cannot be split into records: corrupt compression, invalid JSON, or JSON that is not a CloudTrail file. */
public class MalformedTrailFileException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure with a reason fit for a dead-letter header. */
    public MalformedTrailFileException(String reason) {
        super(reason);
    }

    /** A failure with a reason and its cause. */
    public MalformedTrailFileException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
