package io.trailhound.serde;

import java.net.URI;
import java.util.List;

/**
 * A schema registry request that did not succeed: either the registry answered with an error (HTTP status and the registry's
 * {@code error_code}) or no registry could be reached after every attempt. Messages never contain credentials.
 */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Confluent's error code for an unknown subject. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent's error code for an unknown version. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent's error code for an unknown schema (by id, or not registered under the subject). */
    public static final int SCHEMA_NOT_FOUND = 40403;

    private final int httpStatus;
    private final int errorCode;
    private final int attempts;
    private final List<URI> urls;

    SchemaRegistryException(String message, int httpStatus, int errorCode, int attempts, List<URI> urls, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.attempts = attempts;
        this.urls = List.copyOf(urls);
    }

    /** HTTP status of the registry's answer; 0 when no answer arrived. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code}; the HTTP status when the body had none, 0 when no answer arrived. */
    public int errorCode() {
        return errorCode;
    }

    /** Requests sent before giving up. */
    public int attempts() {
        return attempts;
    }

    /** Registry URLs tried (without credentials). */
    public List<URI> urls() {
        return urls;
    }

    /** Whether the registry answered that the subject, version or schema does not exist. */
    public boolean isNotFound() {
        return httpStatus == 404 || errorCode == SUBJECT_NOT_FOUND || errorCode == VERSION_NOT_FOUND || errorCode == SCHEMA_NOT_FOUND;
    }

    /** Whether no registry answered at all (I/O errors or timeouts on every attempt). */
    public boolean isUnreachable() {
        return httpStatus == 0;
    }
}
