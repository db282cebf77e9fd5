package io.trailhound.connector;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The plugin's version as Maven built it, reported by every connector and task to the Connect REST API. */
public final class ConnectorVersion {

    private static final String VERSION = load();

    private ConnectorVersion() {
    }

    /** The project version, or "unknown" when run from unfiltered sources. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ConnectorVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
