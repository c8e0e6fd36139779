package vn.lgsp.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL 17 for tests and for the local run: the zonky embedded server (binaries from Maven
 * Central, no Docker), or an external server when {@code LGSP_TEST_DB_URL} is set. Every file it makes
 * stays under the given directory (a module's {@code target/} in tests).
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String EXTERNAL_URL_ENV = "LGSP_TEST_DB_URL";
    public static final String EXTERNAL_USER_ENV = "LGSP_TEST_DB_USER";
    public static final String EXTERNAL_PASSWORD_ENV = "LGSP_TEST_DB_PASSWORD";

    private final EmbeddedPostgres server;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres server, String host, int port, String user, String password) {
        this.server = server;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /**
     * Starts an embedded server whose binaries and data live under {@code baseDir}, on {@code port}
     * (0 picks a free one), unless an external server is configured.
     */
    public static EmbeddedDatabase start(Path baseDir, int port) {
        String external = System.getenv(EXTERNAL_URL_ENV);
        if (external != null && !external.isBlank()) {
            // jdbc:postgresql://host:port/db
            java.net.URI uri = java.net.URI.create(external.substring("jdbc:".length()));
            return new EmbeddedDatabase(null, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                    envOr(EXTERNAL_USER_ENV, "postgres"), envOr(EXTERNAL_PASSWORD_ENV, ""));
        }
        try {
            Path work = baseDir.resolve("pg-work");
            Path data = baseDir.resolve("pg-data-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            Files.createDirectories(work);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(work.toFile())
                    .setDataDirectory(data.toFile())
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Enough connections for five services' pools in the journey test.
                    .setServerConfig("max_connections", "300")
                    // The chart's default: at PostgreSQL's own 128 MB the audit log's random-access indexes (request
                    // and trace ids) stop fitting once a local benchmark has written a few million records, and its
                    // CPU per record then doubled (measured at 10M rows). Only pages in use take memory.
                    .setServerConfig("shared_buffers", "512MB")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            return new EmbeddedDatabase(pg, "localhost", pg.getPort(), "postgres", "");
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL under " + baseDir, e);
        }
    }

    /** Creates the database if it does not exist yet (idempotent). */
    public EmbeddedDatabase ensureDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name " + name);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return this;
                }
            }
            st.execute("CREATE DATABASE " + name);
            return this;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean isEmbedded() {
        return server != null;
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new IllegalStateException("Could not stop the embedded PostgreSQL", e);
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }
}
