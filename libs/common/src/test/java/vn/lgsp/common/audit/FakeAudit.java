package vn.lgsp.common.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * auth's token endpoint and audit's batch ingest, for real over HTTP (the JDK's server): audit can be taken down
 * (its port refuses connections) and brought back on the same port, and keeps the raw JSON of every event it
 * accepted. Like audit, it answers 400 to a body that is not {"events":[objects]}.
 */
final class FakeAudit implements AutoCloseable {

    static final String TOKEN = "service-token-for-tests";

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer auth;
    private final int auditPort;
    private HttpServer audit;
    /** Raw JSON of each accepted event, in the order batches were accepted. */
    private final List<String> events = new ArrayList<>();
    private final AtomicInteger batches = new AtomicInteger();
    private volatile long delayMillis;
    private volatile String poison;

    private FakeAudit() throws IOException {
        auth = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        auth.createContext("/oauth2/token", ex -> answer(ex, 200,
                "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        auth.start();
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            auditPort = s.getLocalPort();
        }
    }

    static FakeAudit started() throws IOException {
        FakeAudit f = new FakeAudit();
        f.up();
        return f;
    }

    static FakeAudit down() throws IOException {
        return new FakeAudit();
    }

    String authUrl() {
        return "http://127.0.0.1:" + auth.getAddress().getPort();
    }

    String auditUrl() {
        return "http://127.0.0.1:" + auditPort;
    }

    /** Audit starts (again) on its port. */
    synchronized void up() throws IOException {
        if (audit != null) {
            return;
        }
        audit = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), auditPort), 0);
        audit.setExecutor(Executors.newFixedThreadPool(4));
        audit.createContext("/api/v1/events/batch", this::batch);
        audit.start();
    }

    /** Audit stops: connections to its port are refused. */
    synchronized void stop() {
        if (audit != null) {
            audit.stop(0);
            audit = null;
        }
    }

    /**
     * Events whose JSON contains this text are invalid: like audit, the whole batch is refused with 400 and a
     * problem naming each of them as {@code events[i].path}.
     */
    void poison(String marker) {
        this.poison = marker;
    }

    /** Audit takes this long over each batch (a lagging ingest). */
    void delay(long millis) {
        this.delayMillis = millis;
    }

    List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    int batches() {
        return batches.get();
    }

    private void batch(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            answer(ex, 401, "{}");
            return;
        }
        List<String> accepted;
        try {
            accepted = rawEvents(body);
        } catch (IOException | IllegalArgumentException e) {
            answer(ex, 400, "{\"detail\":\"" + e.getMessage().replace('"', '\'') + "\"}");
            return;
        }
        String marker = poison;
        if (marker != null) {
            StringBuilder errors = new StringBuilder();
            for (int i = 0; i < accepted.size(); i++) {
                if (accepted.get(i).contains(marker)) {
                    errors.append(errors.isEmpty() ? "" : ",").append("{\"field\":\"events[").append(i)
                            .append("].path\",\"rule\":\"pattern\",\"message\":\"not a valid path\"}");
                }
            }
            if (!errors.isEmpty()) {
                answer(ex, 400, "{\"type\":\"urn:lgsp:problem:validation\",\"status\":400,\"errors\":[" + errors + "]}");
                return;
            }
        }
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (events) {
            events.addAll(accepted);
        }
        batches.incrementAndGet();
        answer(ex, 200, "{\"accepted\":" + accepted.size() + "}");
    }

    /** The bytes of each element of "events", exactly as sent (checked to be JSON objects). */
    private List<String> rawEvents(byte[] body) throws IOException {
        List<String> out = new ArrayList<>();
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            expect(p.nextToken() == JsonToken.START_OBJECT && "events".equals(p.nextFieldName())
                    && p.nextToken() == JsonToken.START_ARRAY, "not {\"events\":[...]}");
            while (p.nextToken() == JsonToken.START_OBJECT) {
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                int end = (int) p.currentLocation().getByteOffset();
                out.add(new String(body, start, end - start, StandardCharsets.UTF_8));
            }
            expect(p.currentToken() == JsonToken.END_ARRAY && p.nextToken() == JsonToken.END_OBJECT
                    && p.nextToken() == null, "an event is not a JSON object, or trailing content");
        }
        return out;
    }

    private static void expect(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        stop();
        auth.stop(0);
    }
}
