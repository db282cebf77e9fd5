package io.trailhound.connector;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/** Renders a connector's {@link ConfigDef} as the Markdown table of the module README (a test keeps the README in step). */
public final class ConfigReference {

    private ConfigReference() {
    }

    /** One row per key, in definition order: key, type, default, valid values, importance, description. */
    public static String markdown(ConfigDef definition) {
        StringBuilder table = new StringBuilder("| key | type | default | valid values | importance | description |\n");
        table.append("|---|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : definition.configKeys().values()) {
            table.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase())
                .append(" | ").append(defaultOf(key))
                .append(" | ").append(key.validator == null ? "" : escape(key.validator.toString()))
                .append(" | ").append(key.importance.name().toLowerCase())
                .append(" | ").append(escape(key.documentation)).append(" |\n");
        }
        return table.toString();
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        if (value instanceof Password) {
            return "\"\"";
        }
        String text = value instanceof List<?> list
            ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
            : String.valueOf(value);
        return text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
