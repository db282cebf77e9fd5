package io.trailhound.serde;

import javax.net.ssl.SSLException;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry connection checked once when a service or command starts (#19): credentials the registry refuses
 * (HTTP 401/403) or a certificate the client does not trust are configuration errors, reported at once with what to fix
 * instead of surfacing later as a failed record. An unreachable registry is not: it may come back, and the serdes retry
 * (a warning is logged).
 */
public final class RegistryCheck {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryCheck.class);

    private RegistryCheck() {
    }

    /**
     * Asks the registry for the latest schema of {@code subject} (authenticated like every other call; "not found" is an
     * answer and passes).
     *
     * @throws ConfigException when the registry refuses the credentials or its certificate is not trusted
     */
    public static void atStartup(SchemaRegistryClient client, String subject) {
        try {
            client.latest(subject);
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 401 || e.httpStatus() == 403) {
                throw new ConfigException(e.getMessage());
            }
            if (tlsFailure(e)) {
                throw new ConfigException("schema registry " + client.describe() + ": TLS failed (" + rootMessage(e)
                    + "); check schema.registry.ssl.truststore.location/password/type");
            }
            if (!e.isNotFound()) {
                LOG.warn("schema registry {} not usable at start-up ({}); records that need it wait and retry", client.describe(),
                    e.getMessage());
            }
        }
    }

    private static boolean tlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
