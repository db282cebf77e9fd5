package io.trailhound.connector;

import java.net.URL;
import java.security.CodeSource;
import java.util.Set;
import java.util.TreeSet;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * A global SDK interceptor (registered in {@code software/amazon/awssdk/global/handlers/execution.interceptors} of the
 * test resources, so every client of the test JVM runs it) recording {@code Service:Operation} of each call made from
 * the connectors' main code (not from test fixtures), whatever endpoint it goes to (S3Mock, WireMock).
 */
public final class AwsCallRecorder implements ExecutionInterceptor {

    private static final Set<String> CALLS = new TreeSet<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        boolean fromMainCode = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(frames -> frames.anyMatch(f -> isMainCode(f.getDeclaringClass())));
        if (fromMainCode) {
            synchronized (CALLS) {
                CALLS.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        }
    }

    /** Every {@code Service:Operation} the connectors' code called so far in this JVM. */
    public static Set<String> calls() {
        synchronized (CALLS) {
            return Set.copyOf(CALLS);
        }
    }

    private static boolean isMainCode(Class<?> type) {
        if (!type.getName().startsWith("io.trailhound.connector.")) {
            return false;
        }
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        return location != null && !location.getPath().contains("test-classes");
    }
}
