package io.trailhound.testkit.aws;

import com.github.tomakehurst.wiremock.common.Notifier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends WireMock's messages (e.g. the diff report for a request no stub matched) to our SLF4J logging, whichever WireMock
 * artifact is on the classpath: the shaded standalone jar would otherwise log into its own relocated, unbound SLF4J.
 */
final class WireMockLog implements Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(AwsEndpointExtension.class);

    @Override
    public void info(String message) {
        LOG.debug(message);
    }

    @Override
    public void error(String message) {
        LOG.warn(message);
    }

    @Override
    public void error(String message, Throwable t) {
        LOG.warn(message, t);
    }
}
