package io.trailhound.serde;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro instantiate Trailhound's generated classes. Since 1.12.2 Avro refuses to load any class a schema names unless it is
 * trusted (a guard against schemas naming arbitrary classes); we trust exactly the {@code @AvroGenerated} classes of
 * {@code io.trailhound.avro}, on top of whatever the JVM already trusts.
 */
public final class TrustedAvroClasses {

    /** Package of the classes generated from src/main/avro. */
    public static final String PACKAGE = "io.trailhound.avro";

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private TrustedAvroClasses() {
    }

    /**
     * Adds our generated classes to Avro's JVM-wide trust (idempotent). The serdes call it; call it yourself before using
     * {@code SpecificDatumReader} on our classes directly.
     */
    public static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(TrustedAvroClasses::isTrusted,
                    ClassSecurityValidator.getGlobal()));
        }
    }

    /** Whether {@code type} is one of our generated classes. */
    static boolean isTrusted(Class<?> type) {
        return PACKAGE.equals(type.getPackageName()) && type.isAnnotationPresent(AvroGenerated.class);
    }
}
