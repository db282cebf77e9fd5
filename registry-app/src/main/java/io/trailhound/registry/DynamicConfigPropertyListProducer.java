package io.trailhound.registry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.inject.Produces;
import javax.inject.Singleton;

/**
 * Supplies the empty {@link DynamicConfigPropertyList} that Apicurio's config-index Quarkus extension would build, because that
 * extension's deployment artifact is not on Maven Central and is excluded here (so no properties are runtime-editable).
 */
@ApplicationScoped
public class DynamicConfigPropertyListProducer {

    @Produces
    @Singleton
    DynamicConfigPropertyList dynamicConfigPropertyList() {
        return new DynamicConfigPropertyList(List.of());
    }
}
