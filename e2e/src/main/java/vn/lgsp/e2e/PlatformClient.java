package vn.lgsp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Talks to a running platform through its public APIs only, the way an operator's script or an agency
 * integrator would. Shared by the journey tests and the demo-data loader of {@code ./lgsp up}.
 */
public final class PlatformClient {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private final Map<String, String> urls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public PlatformClient(Map<String, String> urls) {
        this.urls = Map.copyOf(urls);
    }

    public static PlatformClient of(Platform platform) {
        Map<String, String> urls = new java.util.HashMap<>(Platform.DEFAULT_PORTS.keySet().stream()
                .collect(Collectors.toMap(n -> n, platform::url)));
        urls.put(Platform.GATEWAY, platform.gatewayUrl());
        return new PlatformClient(urls);
    }

    public String url(String service) {
        return urls.get(service);
    }

    /** A response with its JSON body (or null body node when empty/not JSON). */
    public record Reply(int status, HttpHeaders headers, String raw, JsonNode json) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("content-type");
        }

        /** Fails with the whole answer when the status is not the expected one. */
        public Reply expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + raw);
            }
            return this;
        }
    }

    // ---- generic ---------------------------------------------------------------------------------------

    public Reply get(String service, String path, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(url(service) + path)).GET(), bearer, Map.of());
    }

    public Reply get(String service, String path, String bearer, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(url(service) + path)).GET(), bearer, headers);
    }

    public Reply post(String service, String path, String bearer, Object body) {
        return send(HttpRequest.newBuilder(URI.create(url(service) + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))), bearer, Map.of());
    }

    public Reply postForm(String service, String path, Map<String, String> form, String basicUser, String basicPassword) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(service) + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basicUser != null) {
            String pair = enc(basicUser) + ":" + enc(basicPassword);
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return send(b, null, Map.of());
    }

    /** Any method with raw headers and body, e.g. a request an integrator signed itself (RFC 9421). */
    public Reply request(String service, String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return send(HttpRequest.newBuilder(URI.create(url(service) + path)).method(method, publisher), null, headers);
    }

    private Reply send(HttpRequest.Builder b, String bearer, Map<String, String> headers) {
        b.timeout(Duration.ofSeconds(30)).header("Accept", "application/json, application/problem+json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(b::setHeader);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body(), parse(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException("HTTP call failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the platform's vocabulary -----------------------------------------------------------------------

    /** Admin login at auth; returns the bearer token. */
    public String login(String username, String password) {
        return post("auth", "/api/v1/admin/login", null, Map.of("username", username, "password", password))
                .expect(200).json().path("access_token").asText();
    }

    /** OAuth2 client-credentials grant (RFC 6749 §4.4) with HTTP Basic client authentication. */
    public Reply token(String clientId, String clientSecret) {
        return postForm("auth", "/oauth2/token", Map.of("grant_type", "client_credentials"), clientId, clientSecret);
    }

    public static String write(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return NullNode.getInstance();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
