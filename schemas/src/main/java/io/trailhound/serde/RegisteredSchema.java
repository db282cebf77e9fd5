package io.trailhound.serde;

import org.apache.avro.Schema;

/**
 * A schema as registered under a subject.
 *
 * @param subject the subject
 * @param id      the registry's global id, written in every record's wire-format header
 * @param version the version under the subject (1, 2, ...)
 * @param schema  the parsed schema
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
}
