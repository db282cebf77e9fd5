package io.trailhound.respond.engine;

import io.trailhound.avro.ApprovalRequest;

/** Where approval requests go (the approvals topic, in the running engine); decisions come back through the responder. */
public interface ApprovalGate {

    /** Publishes a request for a human decision. */
    void request(ApprovalRequest request);
}
