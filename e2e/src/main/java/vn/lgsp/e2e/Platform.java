package vn.lgsp.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.lgsp.testing.EmbeddedDatabase;
import vn.lgsp.testing.StubUpstream;

/**
 * The whole platform on one machine, without Docker: an embedded PostgreSQL, the five packaged services
 * as separate JVM processes talking HTTP to each other, and a stub provider. Used by {@code ./lgsp up}
 * and by the cross-service journey tests, so both exercise the same wiring.
 * <p>
 * Each service runs in its own working directory whose {@code config/application.properties} carries its
 * settings and secrets (mode 600), so no secret appears on a command line or in a log.
 */
public final class Platform implements AutoCloseable {

    /** The services in start order, with their default local ports (ARCHITECTURE.md). */
    public static final Map<String, Integer> DEFAULT_PORTS = orderedPorts();

    /** routing's data plane (its admin API, health and metrics stay on its Quarkus port, 8080). */
    public static final int DEFAULT_GATEWAY_PORT = 8000;

    /** PlatformClient's name for the data plane: url("gateway"). */
    public static final String GATEWAY = "gateway";

    private final Path repoRoot;
    private final Path workDir;
    private final Map<String, Integer> ports;
    private final int gatewayPort;
    private final int pgPort;
    private final int providerPort;
    private final boolean jsonLogs;
    private final PrintStream progress;
    private final Map<String, Map<String, String>> extraProperties;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, String> serviceSecrets = new LinkedHashMap<>();
    private final String operatorPassword;
    private EmbeddedDatabase database;
    private StubUpstream provider;

    private Platform(Builder b) {
        this.repoRoot = b.repoRoot.toAbsolutePath().normalize();
        this.workDir = b.workDir.toAbsolutePath().normalize();
        this.ports = b.ports;
        this.gatewayPort = b.gatewayPort;
        this.pgPort = b.pgPort;
        this.providerPort = b.providerPort;
        this.jsonLogs = b.jsonLogs;
        this.progress = b.progress;
        this.extraProperties = b.extraProperties;
        for (String service : DEFAULT_PORTS.keySet()) {
            serviceSecrets.put(service, randomSecret());
        }
        this.operatorPassword = randomSecret();
    }

    public static Builder builder(Path repoRoot, Path workDir) {
        return new Builder(repoRoot, workDir);
    }

    /** Ports in use by something else, as "service (port)" strings; empty when all are free. */
    public List<String> busyPorts() {
        List<String> busy = new ArrayList<>();
        ports.forEach((name, port) -> {
            if (!isFree(port)) {
                busy.add(name + " (" + port + ")");
            }
        });
        if (!isFree(gatewayPort)) {
            busy.add("routing data plane (" + gatewayPort + ")");
        }
        if (pgPort > 0 && !isFree(pgPort)) {
            busy.add("postgresql (" + pgPort + ")");
        }
        if (providerPort > 0 && !isFree(providerPort)) {
            busy.add("demo provider (" + providerPort + ")");
        }
        return busy;
    }

    /** Starts everything and waits until every service reports ready. */
    public Platform start(Duration readyTimeout) {
        long t0 = System.nanoTime();
        for (String name : DEFAULT_PORTS.keySet()) {
            Path jar = quarkusJar(name);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("Service " + name + " is not built (" + jar
                        + " is missing): run ./mvnw package -DskipTests first");
            }
        }
        step(t0, "starting PostgreSQL 17 (embedded, files under " + workDir.resolve("pg") + ")");
        database = EmbeddedDatabase.start(workDir.resolve("pg"), pgPort).ensureDatabase("lgsp");
        step(t0, "PostgreSQL ready on port " + database.port());
        provider = StubUpstream.start(providerPort);
        step(t0, "demo provider listening on " + provider.baseUrl());
        try {
            for (String name : DEFAULT_PORTS.keySet()) {
                processes.put(name, launch(name));
            }
        } catch (IOException e) {
            close();
            throw new IllegalStateException("Could not launch the services", e);
        }
        step(t0, "launched registry, auth, routing, catalog, audit; waiting for readiness");
        awaitReady(t0, readyTimeout);
        step(t0, "all five services are ready");
        return this;
    }

    private Process launch(String name) throws IOException {
        Path dir = workDir.resolve("run").resolve(name);
        Files.createDirectories(dir.resolve("config"));
        Path config = dir.resolve("config").resolve("application.properties");
        Files.writeString(config, configFor(name));
        try {
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing more to do
        }
        Path log = workDir.resolve("logs").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags(name));
        cmd.add("-jar");
        cmd.add(quarkusJar(name).toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    /**
     * Small heaps and a fast-starting JIT for the admin services (five JVMs share two cores at start-up);
     * the gateway and audit, which takes all of its records, get the full JIT and ParallelGC, which measured
     * faster and leaner than G1 for the gateway.
     */
    static List<String> jvmFlags(String name) {
        if ("routing".equals(name)) {
            return List.of("-Xms128m", "-Xmx384m", "-XX:+UseParallelGC", "-XX:MaxMetaspaceSize=192m");
        }
        if ("audit".equals(name)) {
            // the gateway's records all land here: the full JIT, as for routing
            return List.of("-Xms64m", "-Xmx384m", "-XX:+UseParallelGC", "-XX:MaxMetaspaceSize=192m");
        }
        return List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-XX:MaxMetaspaceSize=192m");
    }

    private String configFor(String name) {
        StringBuilder c = new StringBuilder();
        c.append("# Written by the LGSP local launcher; holds local secrets (mode 600).\n");
        c.append("quarkus.http.port=").append(ports.get(name)).append('\n');
        c.append("quarkus.http.host=127.0.0.1\n");
        c.append("lgsp.db.host=").append(database.host()).append('\n');
        c.append("lgsp.db.port=").append(database.port()).append('\n');
        c.append("quarkus.datasource.username=").append(database.user()).append('\n');
        c.append("quarkus.datasource.password=").append(database.password()).append('\n');
        for (String peer : DEFAULT_PORTS.keySet()) {
            if ("routing".equals(peer)) {
                continue; // nobody calls the gateway from inside the platform
            }
            c.append("lgsp.platform.").append(peer).append("-url=").append(url(peer)).append('\n');
        }
        c.append("lgsp.jwt.issuer=").append(url("auth")).append('\n');
        c.append("lgsp.platform.client-id=").append(name).append('\n');
        c.append("lgsp.platform.client-secret=").append(serviceSecrets.get(name)).append('\n');
        c.append("quarkus.log.console.json.enabled=").append(jsonLogs).append('\n');
        Map<String, String> extra = extraProperties.getOrDefault(name, Map.of());
        if ("routing".equals(name)) {
            c.append("lgsp.routing.data-plane.port=").append(gatewayPort).append('\n');
            c.append("lgsp.routing.data-plane.host=127.0.0.1\n");
        }
        if ("routing".equals(name) && !extra.containsKey(SPOOL_DIR)) {
            // The gateway's audit spool (its packaged default is /var/lib/lgsp/audit-spool): in the service's own
            // directory, so it outlives a restart of routing (./lgsp up: .lgsp/run/routing/audit-spool).
            c.append(SPOOL_DIR).append('=').append(auditSpool(name)).append('\n');
        }
        extra.forEach((k, v) -> c.append(k).append('=').append(v).append('\n'));
        if ("auth".equals(name)) {
            serviceSecrets.forEach((svc, secret) ->
                    c.append("lgsp.auth.service-clients.").append(svc).append('=').append(secret).append('\n'));
            c.append("lgsp.auth.bootstrap.operator-username=operator\n");
            c.append("lgsp.auth.bootstrap.operator-password=").append(operatorPassword).append('\n');
            c.append("lgsp.auth.master-key=").append(masterKey()).append('\n');
        }
        return c.toString();
    }

    private static final String SPOOL_DIR = "lgsp.platform.audit.spool.dir";

    /** Where a service spools its audit records when the launcher chooses. */
    public Path auditSpool(String service) {
        return workDir.resolve("run").resolve(service).resolve("audit-spool");
    }

    private String masterKey() {
        // Kept across restarts of ./lgsp up so encrypted secrets in the database stay readable.
        Path file = workDir.resolve("master.key");
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.writeString(file, Base64.getEncoder().encodeToString(key));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("Could not prepare the local master key", e);
        }
    }

    private void awaitReady(long t0, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Boolean> ready = new LinkedHashMap<>();
        DEFAULT_PORTS.keySet().forEach(n -> ready.put(n, false));
        while (ready.containsValue(false)) {
            for (Map.Entry<String, Boolean> e : ready.entrySet()) {
                if (e.getValue()) {
                    continue;
                }
                Process p = processes.get(e.getKey());
                if (!p.isAlive()) {
                    String tail = tail(workDir.resolve("logs").resolve(e.getKey() + ".log"), 40);
                    close();
                    throw new IllegalStateException("Service " + e.getKey() + " exited with code " + p.exitValue()
                            + " during start-up. Last log lines:\n" + tail);
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(e.getKey()) + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        e.setValue(true);
                        step(t0, e.getKey() + " ready at " + url(e.getKey()));
                    }
                } catch (IOException ex) {
                    // not listening yet
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for services", ex);
                }
            }
            if (System.nanoTime() > deadline) {
                List<String> notReady = ready.entrySet().stream().filter(x -> !x.getValue()).map(Map.Entry::getKey).toList();
                StringBuilder tails = new StringBuilder();
                for (String n : notReady) {
                    tails.append("\n--- ").append(n).append(" ---\n").append(tail(workDir.resolve("logs").resolve(n + ".log"), 30));
                }
                close();
                throw new IllegalStateException("Not ready within " + timeout.toSeconds() + " s: " + notReady + tails);
            }
            sleep(250);
        }
    }

    private void step(long t0, String message) {
        if (progress != null) {
            progress.printf("[%5.1fs] %s%n", (System.nanoTime() - t0) / 1e9, message);
            progress.flush();
        }
    }

    /** A service's Quarkus port (admin API, health, metrics); "gateway" is routing's data plane. */
    public String url(String service) {
        return GATEWAY.equals(service) ? gatewayUrl() : "http://127.0.0.1:" + ports.get(service);
    }

    /** Where agency systems call /{serviceCode}/{version}/... */
    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    public String providerUrl() {
        return provider.baseUrl();
    }

    public StubUpstream provider() {
        return provider;
    }

    public String operatorUsername() {
        return "operator";
    }

    public String operatorPassword() {
        return operatorPassword;
    }

    public EmbeddedDatabase database() {
        return database;
    }

    public Path logFile(String service) {
        return workDir.resolve("logs").resolve(service + ".log");
    }

    /** Stops one service (SIGTERM, then SIGKILL after 15 s), e.g. to test an outage. */
    public void stopService(String name) {
        Process p = processes.get(name);
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts a stopped service again with the same configuration and waits for it to be ready. */
    public void restartService(String name, Duration timeout) {
        stopService(name);
        try {
            processes.put(name, launch(name));
        } catch (IOException e) {
            throw new IllegalStateException("Could not restart " + name, e);
        }
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url(name) + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " did not become ready again within " + timeout.toSeconds() + " s");
    }

    @Override
    public void close() {
        // Reverse order: the gateway first, so nothing new arrives while the others drain.
        List<String> names = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(names);
        names.forEach(n -> {
            Process p = processes.get(n);
            if (p.isAlive()) {
                p.destroy();
            }
        });
        for (String n : names) {
            Process p = processes.get(n);
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        if (provider != null) {
            provider.close();
            provider = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
    }

    private Path quarkusJar(String name) {
        return repoRoot.resolve("services").resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    }

    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + file + ")";
        }
    }

    private static String randomSecret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Integer> orderedPorts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("audit", 8084);
        m.put("auth", 8082);
        m.put("registry", 8081);
        m.put("catalog", 8083);
        m.put("routing", 8080);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** How to lay the platform out: fixed ports for the local run, free ones for tests. */
    public static final class Builder {
        private final Path repoRoot;
        private final Path workDir;
        private Map<String, Integer> ports = new LinkedHashMap<>(DEFAULT_PORTS);
        private int gatewayPort = DEFAULT_GATEWAY_PORT;
        private int pgPort = 0;
        private int providerPort = 0;
        private boolean jsonLogs = true;
        private PrintStream progress;
        private final Map<String, Map<String, String>> extraProperties = new LinkedHashMap<>();

        Builder(Path repoRoot, Path workDir) {
            this.repoRoot = repoRoot;
            this.workDir = workDir;
        }

        public Builder randomPorts() {
            Map<String, Integer> p = new LinkedHashMap<>();
            DEFAULT_PORTS.keySet().forEach(n -> p.put(n, freePort()));
            this.ports = p;
            this.gatewayPort = freePort();
            return this;
        }

        public Builder postgresPort(int port) {
            this.pgPort = port;
            return this;
        }

        public Builder providerPort(int port) {
            this.providerPort = port;
            return this;
        }

        public Builder jsonLogs(boolean json) {
            this.jsonLogs = json;
            return this;
        }

        public Builder progress(PrintStream out) {
            this.progress = out;
            return this;
        }

        /** A configuration property for one service, e.g. shorter intervals so journeys need not wait. */
        public Builder property(String service, String key, String value) {
            if (!DEFAULT_PORTS.containsKey(service)) {
                throw new IllegalArgumentException("no service " + service);
            }
            extraProperties.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        public Platform build() {
            return new Platform(this);
        }
    }
}
