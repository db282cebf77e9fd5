package io.trailhound.connector.guardduty;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Keeps the raw HTTP body of the last GetFindings answer on this thread, so findings are forwarded as GuardDuty sent them
 * rather than as the SDK model would re-serialize them; the SDK still parses its own copy (signing, retries, errors).
 */
public final class RawResponseCapture implements ExecutionInterceptor {

    private final ThreadLocal<byte[]> last = new ThreadLocal<>();

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!"GetFindings".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)) || context.responseBody().isEmpty()) {
            return context.responseBody();
        }
        try (InputStream in = context.responseBody().get()) {
            byte[] body = in.readAllBytes();
            last.set(body);
            return Optional.of(new ByteArrayInputStream(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes (and forgets) the body of this thread's last GetFindings answer. */
    public byte[] take() {
        byte[] body = last.get();
        last.remove();
        return body;
    }
}
