package vn.lgsp.audit.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import vn.lgsp.testing.EmbeddedDatabase;
import vn.lgsp.testing.TestJwt;

/**
 * The audit ingest benchmark behind {@code load-tests/audit-ingest-bench.sh}: starts an embedded PostgreSQL and the
 * packaged audit service, then N senders post batches of gateway-like transaction events (as AuditPublisher does)
 * for a warm-up and a measured period; prints sustained events/s, batch latency p50/p99 and errors, verifies the
 * hash chain of what was written, and replaces the body of "## Audit ingest" in load-tests/RESULTS.md.
 */
public final class IngestBench {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int warmup = Integer.getInteger("warmup", 10);
        int duration = Integer.getInteger("duration", 30);
        int senders = Integer.getInteger("senders", 8);
        int batchSize = Integer.getInteger("batch", 500);
        String command = System.getProperty("command", "load-tests/audit-ingest-bench.sh");
        Path work = root.resolve("load-tests/target/audit-bench");
        Files.createDirectories(work);
        Path jar = root.resolve("services/audit/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: ./mvnw package -DskipTests -pl services/audit");
        }

        System.out.println("Starting PostgreSQL 17 (embedded, under " + work + ")");
        EmbeddedDatabase db = EmbeddedDatabase.start(work.resolve("pg"), 0).ensureDatabase("lgsp");
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx512m", "-XX:+UseParallelGC",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dlgsp.db.host=" + db.host(), "-Dlgsp.db.port=" + db.port(),
                "-Dquarkus.datasource.username=" + db.user(), "-Dquarkus.datasource.password=" + db.password(),
                "-Dmp.jwt.verify.publickey.location=" + TestJwt.publicKeyPem().toUri(),
                "-Dmp.jwt.verify.issuer=" + TestJwt.ISSUER, "-Dquarkus.log.console.json.enabled=false",
                "-jar", jar.toString()));
        Path log = work.resolve("audit.log");
        Process audit = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + port;
        try {
            awaitReady(http, base, audit, log);
            String token = TestJwt.service("routing");
            System.out.printf("audit ready on %s; %d senders x batches of %d events, %d s warm-up, %d s measured%n",
                    base, senders, batchSize, warmup, duration);
            Result warm = run(http, base, token, senders, batchSize, warmup);
            System.out.printf("warm-up: %.0f events/s%n", warm.eventsPerSecond());
            Result r = run(http, base, token, senders, batchSize, duration);
            System.out.printf("%d senders: %.0f events/s%n", senders, r.eventsPerSecond());
            // One gateway instance as routing is configured: its AuditPublisher keeps 2 batches of 1000 in flight.
            Result single = run(http, base, token, GATEWAY_SENDERS, GATEWAY_BATCH, duration);
            System.out.printf("one gateway (%d x %d): %.0f events/s%n", GATEWAY_SENDERS, GATEWAY_BATCH,
                    single.eventsPerSecond());
            String verify = verify(http, base);
            String report = report(r, single, senders, batchSize, warmup, duration, verify, command,
                    gatewayRate(root.resolve("load-tests/RESULTS.md")));
            System.out.println();
            System.out.println(report);
            writeResults(root.resolve("load-tests/RESULTS.md"), report);
            System.out.println("Written under '## Audit ingest' in load-tests/RESULTS.md");
        } finally {
            audit.destroy();
            audit.waitFor();
            db.close();
        }
    }

    /** routing's lgsp.platform.audit.senders and batch-size (services/routing application.properties). */
    static final int GATEWAY_SENDERS = 2;
    static final int GATEWAY_BATCH = 1000;

    record Result(long events, long batches, long errors, double seconds, List<Long> latenciesMicros) {
        double eventsPerSecond() {
            return events / seconds;
        }

        long percentile(double p) {
            if (latenciesMicros.isEmpty()) {
                return 0;
            }
            List<Long> sorted = new ArrayList<>(latenciesMicros);
            Collections.sort(sorted);
            return sorted.get((int) Math.max(0, Math.ceil(p * sorted.size()) - 1));
        }
    }

    static Result run(HttpClient http, String base, String token, int senders, int batchSize, int seconds)
            throws InterruptedException {
        AtomicLong events = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Thread t = new Thread(() -> {
                Random rnd = new Random(sender);
                while (!stop.get()) {
                    byte[] body = batch(rnd, batchSize);
                    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/events/batch"))
                            .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                        long took = (System.nanoTime() - start) / 1000;
                        if (resp.statusCode() == 200 && !stop.get()) {
                            events.addAndGet(batchSize);
                            batches.incrementAndGet();
                            latencies.add(took);
                        } else if (resp.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-sender-" + s);
            t.start();
            threads.add(t);
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        for (Thread t : threads) {
            t.join(60_000);
        }
        return new Result(events.get(), batches.get(), errors.get(), elapsed, latencies);
    }

    private static final String[] AGENCIES = { "000.00.01.H01", "000.00.02.H02", "000.00.03.H03", "000.00.04.H04",
            "000.00.05.H05", "000.00.06.H06" };
    private static final String[] SERVICES = { "ho-tich", "dan-cu", "dat-dai", "bao-hiem", "thue" };
    private static final int[] STATUS = { 200, 200, 200, 200, 200, 200, 200, 201, 204, 400, 404, 429, 502, 504 };

    static byte[] batch(Random rnd, int n) {
        StringBuilder sb = new StringBuilder(n * 600).append("{\"events\":[");
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(AGENCIES.length);
            int p = rnd.nextInt(AGENCIES.length);
            String svc = SERVICES[rnd.nextInt(SERVICES.length)];
            int status = STATUS[rnd.nextInt(STATUS.length)];
            sb.append(i == 0 ? "" : ",").append("{\"eventId\":\"").append(UUID.randomUUID())
                    .append("\",\"type\":\"transaction\",\"occurredAt\":\"").append(now.minusMillis(rnd.nextInt(1000)))
                    .append("\",\"source\":\"routing\",\"requestId\":\"").append(UUID.randomUUID())
                    .append("\",\"traceId\":\"").append(UUID.randomUUID().toString().replace("-", ""))
                    .append("\",\"consumerSystem\":\"HTTT-C").append(c).append("\",\"consumerAgency\":\"")
                    .append(AGENCIES[c]).append("\",\"providerSystem\":\"HTTT-P").append(p)
                    .append("\",\"providerAgency\":\"").append(AGENCIES[p]).append("\",\"serviceCode\":\"").append(svc)
                    .append("\",\"serviceVersion\":\"v1\",\"environment\":\"production\",\"method\":\"GET\",\"path\":\"/")
                    .append(svc).append("/v1/records/").append(rnd.nextInt(100_000)).append("\",\"status\":").append(status)
                    .append(",\"latencyMs\":").append(1 + rnd.nextInt(300)).append(",\"upstreamLatencyMs\":")
                    .append(rnd.nextInt(250)).append(",\"requestBytes\":").append(rnd.nextInt(2000))
                    .append(",\"responseBytes\":").append(rnd.nextInt(60_000)).append(",\"clientId\":\"client-").append(c)
                    .append("\"");
            if (status >= 500) {
                sb.append(",\"errorType\":\"upstream-timeout\"");
            }
            if (rnd.nextInt(10) == 0) {
                sb.append(",\"mode\":\"async\"");
            }
            sb.append('}');
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static String verify(HttpClient http, String base) {
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/v1/integrity/verify?from=" + day + "&to=" + day)).timeout(Duration.ofMinutes(10))
                    .header("Authorization", "Bearer " + TestJwt.auditor()).GET().build(), HttpResponse.BodyHandlers.ofString());
            return String.format(Locale.ROOT, "HTTP %d in %.1f s: %s", resp.statusCode(), (System.nanoTime() - t0) / 1e9,
                    resp.body());
        } catch (IOException | InterruptedException e) {
            return "verification failed: " + e;
        }
    }

    static String report(Result r, Result single, int senders, int batchSize, int warmup, int duration, String verify,
            String command, double gateway)
            throws IOException {
        String cpu = "unknown CPU";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).strip();
                break;
            }
        }
        long memKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal")) {
                memKb = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        double eps = r.eventsPerSecond();
        StringBuilder sb = new StringBuilder();
        sb.append("Run ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
                .append(" on ").append(Runtime.getRuntime().availableProcessors()).append(" cores (").append(cpu)
                .append("), ").append(memKb / 1024 / 1024).append(" GiB, Java ").append(System.getProperty("java.version"))
                .append(", 1-min load average ").append(load).append(" when measured (other builds share the machine)")
                .append(".\nCommand: `").append(command).append("` (").append(senders).append(" concurrent senders, batches of ")
                .append(batchSize).append(" transaction events, ").append(warmup).append(" s warm-up, ").append(duration)
                .append(" s measured; audit with -Xmx512m ParallelGC, embedded PostgreSQL 17 with fsync off, generator, ")
                .append("service and database on the same machine).\n\n");
        sb.append("| metric | ").append(senders).append(" concurrent senders (several gateway replicas) | one gateway ("
                + GATEWAY_SENDERS + " batches of " + GATEWAY_BATCH + " in flight, as routing sends) |\n|---|---|---|\n");
        sb.append(String.format(Locale.ROOT, "| sustained ingest | **%,.0f events/s** (%,d events, %,d batches, %.1f s) | "
                + "**%,.0f events/s** (%,d events, %,d batches, %.1f s) |%n", eps, r.events(), r.batches(), r.seconds(),
                single.eventsPerSecond(), single.events(), single.batches(), single.seconds()));
        sb.append(String.format(Locale.ROOT, "| batch latency p50 / p99 | %.1f ms / %.1f ms | %.1f ms / %.1f ms |%n",
                r.percentile(0.50) / 1000.0, r.percentile(0.99) / 1000.0, single.percentile(0.50) / 1000.0,
                single.percentile(0.99) / 1000.0));
        sb.append(String.format(Locale.ROOT, "| errors | %d | %d |%n", r.errors(), single.errors()));
        if (gateway > 0) {
            sb.append(String.format(Locale.ROOT, "| ratio to routing's served rate in the gateway benchmark (%,.0f calls/s) "
                    + "| %.2f× | %.2f× |%n", gateway, eps / gateway, single.eventsPerSecond() / gateway));
            sb.append("\nBelow 1× audit ingests more slowly than routing served in the gateway benchmark (measured there on "
                    + "the same cores with the load generator, nginx and the stub): routing's audit spool then grows "
                    + "while the load lasts and drains after it.\n");
        }
        sb.append("\nEach accepted event is validated, hash-chained (one chain head row locked per transaction; batches arriving meanwhile are group-committed together), inserted into its "
                + "monthly partition and counted in the daily, per-minute and error rollups in the same transaction. "
                + "After the run, `GET /api/v1/integrity/verify` over the day: ").append(verify.length() > 400
                        ? verify.substring(0, 400) + "…" : verify).append('\n');
        return sb.toString();
    }

    /** routing's median served (2xx) calls/s from the gateway section of RESULTS.md, or 0 when it is not there. */
    static double gatewayRate(Path results) throws IOException {
        if (!Files.exists(results)) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("answered 2xx ([0-9.]+) req/s")
                .matcher(Files.readString(results));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static void writeResults(Path file, String body) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmark results\n\n## Audit ingest\n\n";
        String heading = "## Audit ingest";
        int at = text.indexOf(heading);
        if (at < 0) {
            text = text.stripTrailing() + "\n\n" + heading + "\n\n";
            at = text.indexOf(heading);
        }
        int bodyStart = at + heading.length();
        int next = text.indexOf("\n## ", bodyStart);
        String tail = next < 0 ? "" : text.substring(next);
        Files.writeString(file, text.substring(0, bodyStart) + "\n\n" + body.stripTrailing() + "\n" + tail);
    }

    static void awaitReady(HttpClient http, String base, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("audit exited; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("audit not ready after 120 s; see " + log);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
