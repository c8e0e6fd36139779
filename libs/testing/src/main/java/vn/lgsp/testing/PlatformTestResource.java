package vn.lgsp.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What every service test needs from the platform: a real PostgreSQL (one per test JVM, files under
 * {@code target/}) and JWT verification against the {@link TestJwt} key. Audit delivery is switched
 * off so events stay queued where tests can inspect them.
 * <p>
 * Use with {@code @QuarkusTestResource(PlatformTestResource.class)} (or
 * {@code @WithTestResource}); the database is {@code lgsp}, each service keeps to its own schema.
 */
public class PlatformTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "lgsp";
    private static EmbeddedDatabase database;

    /** The JVM-wide test database, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedDatabase database() {
        if (database == null) {
            Path base = Path.of(System.getProperty("lgsp.test.workdir", "target")).resolve("embedded-pg");
            database = EmbeddedDatabase.start(base, 0).ensureDatabase(DATABASE);
            EmbeddedDatabase db = database;
            Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-pg-stop"));
        }
        return database;
    }

    @Override
    public Map<String, String> start() {
        EmbeddedDatabase db = database();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", db.jdbcUrl(DATABASE));
        config.put("quarkus.datasource.reactive.url", db.reactiveUrl(DATABASE));
        config.put("quarkus.datasource.username", db.user());
        config.put("quarkus.datasource.password", db.password());
        config.put("mp.jwt.verify.publickey.location", TestJwt.publicKeyPem().toUri().toString());
        config.put("mp.jwt.verify.issuer", TestJwt.ISSUER);
        config.put("lgsp.platform.audit.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        // The database outlives one application start: other test classes of this JVM reuse it.
    }
}
