package vn.lgsp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lgsp.e2e.FirstJourneyTest.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.e2e.PlatformClient.Reply;
import vn.lgsp.testing.ClosedPort;
import vn.lgsp.testing.StubUpstream;

/**
 * The gateway journey of issue 7 across the real services: a JWT caller and an RFC 9421 HMAC caller reach the
 * provider; a deprecated version announces itself; a slow provider gives 504; an unreachable one gives 502 and an
 * alert in audit (and a recovery once it answers again); and while audit is down every call the gateway serves is
 * still recorded once audit is back — calls it could not record are refused with 503, never served unlogged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayJourneyTest {

    static final String CONSUMER_AGENCY = "000.00.00.H21";
    static final String PROVIDER_AGENCY = "000.00.00.H22";
    static final String CONSUMER_SYSTEM = "HTTT-TNMT";
    static final String PROVIDER_SYSTEM = "HTTT-DKKD";
    static final String SERVICE = "dang-ky-kinh-doanh";
    static final String DOWN_SERVICE = "thue-dat";

    static Platform platform;
    static PlatformClient client;
    static String op;
    static String token;
    static String accessKey;
    static String secretKey;
    /** The unreachable provider of DOWN_SERVICE, held closed until the test starts it there. */
    static ClosedPort downPort;

    @BeforeAll
    static void world() {
        platform = SharedPlatform.get();
        client = PlatformClient.of(platform);
        op = client.login(platform.operatorUsername(), platform.operatorPassword());
        client.post("registry", "/api/v1/agencies", op, DemoData.agency(CONSUMER_AGENCY, "Sở Tài nguyên và Môi trường", "STNMT")).expect(201);
        client.post("registry", "/api/v1/agencies", op, DemoData.agency(PROVIDER_AGENCY, "Sở Kế hoạch và Đầu tư", "SKHĐT")).expect(201);
        client.post("registry", "/api/v1/systems", op, DemoData.system(CONSUMER_SYSTEM, "Hệ thống quản lý đất đai",
                CONSUMER_AGENCY, "http://127.0.0.1:9")).expect(201);
        client.post("registry", "/api/v1/systems", op, DemoData.system(PROVIDER_SYSTEM, "Hệ thống đăng ký kinh doanh",
                PROVIDER_AGENCY, platform.providerUrl())).expect(201);

        publish(SERVICE, "v1", platform.providerUrl(), 1000);
        subscribe(SERVICE, "v1");
        downPort = ClosedPort.reserve();
        publish(DOWN_SERVICE, "v1", downPort.url(), 2000);
        subscribe(DOWN_SERVICE, "v1");

        JsonNode jwtCred = client.post("auth", "/api/v1/credentials", op,
                DemoData.credential(CONSUMER_SYSTEM, CONSUMER_AGENCY)).expect(201).json();
        token = client.token(jwtCred.path("clientId").asText(), jwtCred.path("clientSecret").asText()).expect(200)
                .json().path("access_token").asText();
        JsonNode hmacCred = client.post("auth", "/api/v1/credentials", op, Map.of("systemCode", CONSUMER_SYSTEM,
                "agencyCode", CONSUMER_AGENCY, "environment", DemoData.ENVIRONMENT, "kind", "hmac")).expect(201).json();
        accessKey = hmacCred.path("accessKey").asText();
        secretKey = hmacCred.path("secretKey").asText();
        assertFalse(accessKey.isBlank() || secretKey.isBlank(), "an hmac credential shows its access and secret key once: "
                + hmacCred.path("accessKey"));
    }

    /** Released if the test that starts the provider there did not get that far. */
    @AfterAll
    static void releasePort() {
        if (downPort != null) {
            downPort.close();
        }
    }

    @Test
    @Order(1)
    void aJwtCallerAndAnHmacCallerBothReachTheProviderAndAreRecorded() {
        String path = "/" + SERVICE + "/v1/doanh-nghiep?mst=0101234567";
        Reply jwt = eventually(Duration.ofSeconds(5), () -> client.get("gateway", path, token), r -> r.status() == 200);
        assertEquals(200, jwt.status(), jwt.raw());

        // routing learns the access key from auth's key feed within its poll interval
        Reply signedGet = eventually(Duration.ofSeconds(5), () -> signed("GET", path, null), r -> r.status() == 200);
        assertEquals(200, signedGet.status(), signedGet.raw());
        assertEquals("mst=0101234567", signedGet.json().path("query").asText());
        assertFalse(signedGet.json().path("headers").has("signature"), "the signature stays at the gateway");

        byte[] body = "{\"maSoThue\":\"0101234567\",\"ten\":\"Công ty TNHH Hòa Bình\"}".getBytes(StandardCharsets.UTF_8);
        Reply signedPost = signed("POST", "/" + SERVICE + "/v1/doanh-nghiep", body);
        assertEquals(200, signedPost.status(), signedPost.raw());
        assertEquals(body.length, signedPost.json().path("bodyBytes").asInt(), "the provider receives the signed body");

        Reply replay = replayOf(path);
        assertEquals(401, replay.status(), "a replayed nonce is refused: " + replay.raw());

        Reply metrics = client.get("routing", "/q/metrics", null, Map.of("Accept", "text/plain")).expect(200);
        assertTrue(metrics.raw().contains("http_server_requests_seconds_bucket{") && metrics.raw().contains("/{service}/{version}/*"),
                "gateway latency is a Prometheus histogram per route pattern, so p99 can be computed across replicas");

        JsonNode event = recorded(signedPost.header("x-request-id"));
        assertEquals(CONSUMER_SYSTEM, event.path("consumerSystem").asText());
        assertEquals(accessKey, event.path("clientId").asText(), "the signed call is attributed to its access key");
        assertEquals(200, event.path("status").asInt());
    }

    @Test
    @Order(2)
    void aProviderThatDoesNotAnswerInTimeIs504() {
        long start = System.nanoTime();
        Reply slow = client.get("gateway", "/" + SERVICE + "/v1/delay/4000", token);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertProblem(slow, 504, "gateway-timeout");
        assertTrue(millis < 3500, "the version's 1 s timeout applies (a GET may be retried once): " + millis + " ms");
        assertEquals(504, recorded(slow.header("x-request-id")).path("status").asInt());
    }

    @Test
    @Order(3)
    void anUnreachableProviderIs502AndRaisesAnAlertInAuditThenRecovers() throws Exception {
        Reply down = client.get("gateway", "/" + DOWN_SERVICE + "/v1/thua-dat/42", token);
        assertProblem(down, 502, "bad-gateway");

        Reply alerts = eventually(Duration.ofSeconds(10), () -> client.get("audit",
                "/api/v1/events?type=alert&service=" + DOWN_SERVICE, op), r -> hasAlert(r, "upstream-unreachable"));
        assertTrue(hasAlert(alerts, "upstream-unreachable"), "routing's health check alerts audit: " + alerts.raw());
        JsonNode alert = alerts.json().path("items").get(0).path("event");
        assertEquals(PROVIDER_SYSTEM, alert.path("providerSystem").asText());
        assertEquals(PROVIDER_AGENCY, alert.path("providerAgency").asText());

        downPort.close();
        try (StubUpstream provider = StubUpstream.start(downPort.port())) {
            Reply recovered = eventually(Duration.ofSeconds(10), () -> client.get("audit",
                    "/api/v1/events?type=alert&service=" + DOWN_SERVICE, op), r -> hasAlert(r, "upstream-recovered"));
            assertTrue(hasAlert(recovered, "upstream-recovered"), "the recovery is recorded too: " + recovered.raw());
            Reply back = eventually(Duration.ofSeconds(15), () -> client.get("gateway",
                    "/" + DOWN_SERVICE + "/v1/thua-dat/42", token), r -> r.status() == 200);
            assertEquals(200, back.status(), back.raw());
        }
    }

    @Test
    @Order(4)
    void aDeprecatedVersionAnnouncesItsSunsetAndSuccessor() {
        client.post("catalog", "/api/v1/services/" + SERVICE + "/versions", op, version("v2", platform.providerUrl(), 1000)).expect(201);
        transition(SERVICE, "v2", "testing");
        transition(SERVICE, "v2", "published");
        Instant sunset = Instant.now().plus(Duration.ofDays(181)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        client.post("catalog", "/api/v1/services/" + SERVICE + "/versions/v1/transitions", op,
                Map.of("to", "deprecated", "sunsetAt", sunset.toString(), "comment", "v2 thay thế")).expect(200);

        Reply answer = eventually(Duration.ofSeconds(2), () -> client.get("gateway", "/" + SERVICE + "/v1/x", token),
                r -> r.header("deprecation") != null);
        assertEquals(200, answer.status(), "a deprecated version still serves: " + answer.raw());
        assertTrue(answer.header("deprecation").matches("@\\d+"), "RFC 9745 Deprecation is @<epoch seconds>: "
                + answer.header("deprecation"));
        assertEquals(DateTimeFormatter.RFC_1123_DATE_TIME.format(sunset.atOffset(ZoneOffset.UTC)), answer.header("sunset"),
                "RFC 8594 Sunset is an HTTP-date");
        String link = answer.header("link");
        assertNotNull(link, "the successor is linked");
        assertTrue(link.contains("/" + SERVICE + "/v2") && link.contains("successor-version"), link);
    }

    @Test
    @Order(5)
    void whileAuditIsDownServedCallsAreKeptOnDiskThroughARestartOfTheGatewayAndRecordedOnceAuditIsBack()
            throws IOException {
        platform.stopService("audit");
        List<String> served = new ArrayList<>();
        Reply refused = null;
        Reply refusedAfterRestart;
        try {
            // routing's audit spool is small in the journeys (SharedPlatform): it fills, then calls are refused
            for (int i = 0; i < 200 && refused == null; i++) {
                Reply r = client.get("gateway", "/" + SERVICE + "/v1/outage/" + i, token);
                if (r.status() == 200) {
                    served.add(r.header("x-request-id"));
                } else {
                    refused = r;
                }
            }
            JsonNode spool = client.get("routing", "/api/v1/routing/status", op).expect(200).json().path("audit");
            assertEquals(0, spool.path("room").asInt(), "no room: " + spool);
            assertTrue(spool.path("spool").path("bytes").asLong() >= 32768, "the spool holds max-bytes: " + spool);
            // A graceful restart while audit is still down: the records stay on disk, the new process takes them over.
            platform.restartService("routing", Duration.ofSeconds(90));
            refusedAfterRestart = client.get("gateway", "/" + SERVICE + "/v1/outage/after-restart", token);
        } finally {
            platform.restartService("audit", Duration.ofSeconds(90));
        }
        assertTrue(served.size() >= 10, "calls are served while the spool has room: " + served.size());
        assertNotNull(refused, "once the spool is full the gateway refuses rather than serve unlogged");
        assertProblem(refused, 503, "audit-unavailable");
        assertNotNull(refused.header("retry-after"));
        String refusedId = refused.header("x-request-id");
        assertTrue(platform.provider().received().stream().noneMatch(h -> refusedId.equals(h.get("x-request-id"))),
                "a refused call never reaches the provider");
        assertProblem(refusedAfterRestart, 503, "audit-unavailable");

        for (String requestId : served) {
            recorded(requestId, Duration.ofSeconds(30));
        }
        Reply again = eventually(Duration.ofSeconds(10), () -> client.get("gateway", "/" + SERVICE + "/v1/after", token),
                r -> r.status() == 200);
        assertEquals(200, again.status(), "the gateway serves again once the spool has drained: " + again.raw());
        Reply status = eventually(Duration.ofSeconds(10), () -> client.get("routing", "/api/v1/routing/status", op),
                r -> r.status() == 200 && r.json().path("audit").path("pending").asLong() == 0);
        assertEquals(0, status.json().path("audit").path("pending").asLong(), "everything delivered: " + status.raw());
        String log = java.nio.file.Files.readString(platform.logFile("routing"));
        assertTrue(log.contains("audit events stay in the spool"), "the stopping gateway says what it leaves on disk");
        assertTrue(log.contains("from the previous run"), "the new one says what it took over");
    }

    @Test
    @Order(6)
    void aStandardOAuth2ClientNeedsOnlyTheMetadataUrlAndAStandardJwtLibraryOnlyTheJwksUrl() throws Exception {
        JsonNode cred = client.post("auth", "/api/v1/credentials", op,
                DemoData.credential(CONSUMER_SYSTEM, CONSUMER_AGENCY)).expect(201).json();
        ClientSecretBasic clientAuth = new ClientSecretBasic(new ClientID(cred.path("clientId").asText()),
                new Secret(cred.path("clientSecret").asText()));

        // RFC 8414 discovery from the issuer alone (Nimbus checks the issuer in the document matches)
        AuthorizationServerMetadata meta = AuthorizationServerMetadata.resolve(new Issuer(client.url("auth")));
        TokenResponse tokenResponse = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), clientAuth,
                new ClientCredentialsGrant(), null).toHTTPRequest().send());
        assertTrue(tokenResponse.indicatesSuccess(), () -> tokenResponse.toErrorResponse().getErrorObject().toString());
        BearerAccessToken accessToken = tokenResponse.toSuccessResponse().getTokens().getBearerAccessToken();
        assertEquals(3600, accessToken.getLifetime());

        TokenResponse wrong = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretBasic(
                clientAuth.getClientID(), new Secret("not-the-secret")), new ClientCredentialsGrant(), null)
                .toHTTPRequest().send());
        assertEquals(OAuth2Error.INVALID_CLIENT.getCode(), wrong.toErrorResponse().getErrorObject().getCode());

        // a standard JOSE library verifies the token with nothing but jwks_uri
        DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
        jwt.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.Family.SIGNATURE,
                JWKSourceBuilder.create(meta.getJWKSetURI().toURL()).retrying(true).build()));
        jwt.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new JWTClaimsSet.Builder()
                .issuer(meta.getIssuer().getValue()).subject(CONSUMER_SYSTEM).build(),
                java.util.Set.of("iat", "exp", "jti", "scope")));
        JWTClaimsSet claims = jwt.process(accessToken.getValue(), null);
        assertEquals(CONSUMER_AGENCY, claims.getStringClaim("agency"));
        assertTrue(claims.getStringClaim("scope").contains(SERVICE + ":v1"), claims.getStringClaim("scope"));

        Reply viaGateway = client.get("gateway", "/" + SERVICE + "/v1/x", accessToken.getValue());
        assertEquals(200, viaGateway.status(), "routing accepts the token: " + viaGateway.raw());

        // RFC 7662 and RFC 7009 with the same client authentication
        TokenIntrospectionResponse active = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                meta.getIntrospectionEndpointURI(), clientAuth, accessToken).toHTTPRequest().send());
        assertTrue(active.toSuccessResponse().isActive());
        assertEquals(CONSUMER_SYSTEM, active.toSuccessResponse().getSubject().getValue());

        HTTPResponse revoked = new TokenRevocationRequest(meta.getRevocationEndpointURI(), clientAuth, accessToken)
                .toHTTPRequest().send();
        assertEquals(200, revoked.getStatusCode());
        Reply refused = eventually(Duration.ofSeconds(2), () -> client.get("gateway", "/" + SERVICE + "/v1/x",
                accessToken.getValue()), r -> r.status() == 401);
        assertProblem(refused, 401, "unauthenticated");
        assertFalse(TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(meta.getIntrospectionEndpointURI(),
                clientAuth, accessToken).toHTTPRequest().send()).toSuccessResponse().isActive());
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static void publish(String code, String version, String upstream, int timeoutMs) {
        Map<String, Object> service = new LinkedHashMap<>(DemoData.service());
        service.put("code", code);
        service.put("name", "Dịch vụ " + code);
        service.put("ownerAgencyCode", PROVIDER_AGENCY);
        service.put("providerSystemCode", PROVIDER_SYSTEM);
        client.post("catalog", "/api/v1/services", op, service).expect(201);
        client.post("catalog", "/api/v1/services/" + code + "/versions", op, version(version, upstream, timeoutMs)).expect(201);
        transition(code, version, "testing");
        transition(code, version, "published");
    }

    private static Map<String, Object> version(String version, String upstream, int timeoutMs) {
        Map<String, Object> v = new LinkedHashMap<>(DemoData.version(upstream));
        v.put("version", version);
        v.put("timeoutMs", timeoutMs);
        return v;
    }

    private static void transition(String code, String version, String to) {
        client.post("catalog", "/api/v1/services/" + code + "/versions/" + version + "/transitions", op,
                Map.of("to", to, "comment", "e2e")).expect(200);
    }

    private static void subscribe(String code, String version) {
        Map<String, Object> sub = new LinkedHashMap<>(DemoData.subscription(CONSUMER_SYSTEM));
        sub.put("serviceCode", code);
        sub.put("version", version);
        String id = client.post("catalog", "/api/v1/subscriptions", op, sub).expect(201).json().path("id").asText();
        client.post("catalog", "/api/v1/subscriptions/" + id + "/approve", op, Map.of("reason", "e2e",
                "requestsPerSecond", 10_000, "burst", 10_000, "dailyQuota", 1_000_000L)).expect(200);
    }

    private static Map<String, String> lastSigned;

    /** Signs as an integrator's RFC 9421 client would (Signing), keeping the headers for the replay test. */
    private static Reply signed(String method, String path, byte[] body) {
        Map<String, String> headers = Signing.headers(client, accessKey, secretKey, method, path, body);
        lastSigned = Map.copyOf(headers);
        return client.request("gateway", method, path, headers, body);
    }

    @Test
    @Order(7)
    void duringAnAnnouncedMaintenanceWindowTheGatewayAnswers503WithRetryAfterUntilItIsCancelled() {
        String path = "/" + SERVICE + "/v1/doanh-nghiep?mst=0101234567";
        eventually(Duration.ofSeconds(5), () -> client.get("gateway", path, token), r -> r.status() == 200).expect(200);

        // Unplanned work (no 24 h notice): an emergency window, with its reason, from now for an hour.
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JsonNode window = client.post("catalog", "/api/v1/maintenance-windows", op, Map.of(
                "title", "Khắc phục sự cố máy chủ đăng ký kinh doanh", "services", java.util.List.of(SERVICE),
                "environment", DemoData.ENVIRONMENT, "impact", "unavailable", "startsAt", now.toString(),
                "endsAt", now.plus(Duration.ofHours(1)).toString(), "emergency", true, "reason", "Hỏng ổ đĩa"))
                .expect(201).json();
        assertEquals("in-progress", window.path("state").asText(), window.toString());
        assertTrue(window.path("subscribersNotified").asInt() >= 1, "the subscriber is told: " + window);

        Reply refused = eventually(Duration.ofSeconds(5), () -> client.get("gateway", path, token), r -> r.status() == 503);
        assertProblem(refused, 503, "maintenance");
        long retryAfter = Long.parseLong(refused.header("retry-after"));
        assertTrue(retryAfter > 3000 && retryAfter <= 3600, "Retry-After counts down to the window's end: " + retryAfter);
        assertTrue(refused.json().path("detail").asText().contains("Khắc phục sự cố"), refused.raw());
        assertEquals("maintenance", recorded(refused.header("x-request-id")).path("errorType").asText(),
                "the refused call is recorded, with why");
        // Another service is not concerned: its provider is down since test 3, and that is what its callers hear.
        Reply other = client.get("gateway", "/" + DOWN_SERVICE + "/v1/thua-dat/42", token);
        assertTrue(other.status() == 502 || other.status() == 503, other.raw());
        assertTrue(!other.json().path("type").asText().endsWith(":maintenance"), other.raw());

        Reply told = client.get("catalog", "/api/v1/notifications?consumerSystem=" + CONSUMER_SYSTEM, op).expect(200);
        assertTrue(told.raw().contains("maintenance.scheduled") && told.raw().contains(window.path("id").asText()),
                "catalog notified the consumer system: " + told.raw());

        client.post("catalog", "/api/v1/maintenance-windows/" + window.path("id").asText() + "/cancel", op,
                Map.of("reason", "Đã thay ổ đĩa")).expect(200);
        Reply back = eventually(Duration.ofSeconds(5), () -> client.get("gateway", path, token), r -> r.status() == 200);
        assertEquals(200, back.status(), "served again once the window is cancelled: " + back.raw());
    }

    @Test
    @Order(8)
    void anAsynchronousExchangeGoesFromTheSubscriberToTheProviderAndOnlyItsStatusStays() throws Exception {
        // The provider's system has its own key pair (Vĩnh Long Art. 11: it connects with it); the consumer, a
        // token; the consumer's subscription to SERVICE entitles it to send.
        JsonNode providerKeys = client.post("auth", "/api/v1/credentials", op, Map.of("systemCode", PROVIDER_SYSTEM,
                "agencyCode", PROVIDER_AGENCY, "environment", DemoData.ENVIRONMENT, "kind", "hmac")).expect(201).json();
        String providerKey = providerKeys.path("accessKey").asText();
        String providerSecret = providerKeys.path("secretKey").asText();

        JsonNode envelope = eventually(Duration.ofSeconds(5), () -> client.post("routing", "/api/v1/exchanges", token,
                Map.of("serviceCode", SERVICE, "version", "v1", "title", "Danh sách doanh nghiệp giải thể tháng 11",
                        "importance", "normal", "dataType", "csv", "policy", Map.of("expiresIn", "P1D"))),
                r -> r.status() == 201).expect(201).json();
        String id = envelope.path("id").asText();
        assertEquals(PROVIDER_SYSTEM, envelope.path("recipientSystem").asText(), envelope.toString());

        byte[] csv = "maSoThue,ten,ngayGiaiThe\r\n0101234567,\"Công ty TNHH Hòa Bình\",2026-11-20\r\n"
                .getBytes(StandardCharsets.UTF_8);
        Reply uploaded = client.request("routing", "PUT", "/api/v1/exchanges/" + id + "/content", Map.of(
                "Authorization", "Bearer " + token, "Content-Type", "text/csv",
                "Content-Digest", ContentDigest.sha256Header(csv)), csv).expect(200);
        assertEquals("ready", uploaded.json().path("state").asText());

        // the provider, signing each request with the keys auth issued (routing learns them from auth's feed), finds
        // it in its inbox, says it is ready, pulls it and confirms by its digest
        Reply inbox = eventually(Duration.ofSeconds(5), () -> providerSigned("GET", "/api/v1/exchanges?state=ready", null,
                providerKey, providerSecret), r -> r.status() == 200).expect(200);
        assertTrue(inbox.raw().contains(id), inbox.raw());
        providerSigned("POST", "/api/v1/exchanges/" + id + "/accept", null, providerKey, providerSecret).expect(200);
        Map<String, String> pull = new java.util.HashMap<>(Signing.headers(client, "routing", providerKey, providerSecret,
                "GET", "/api/v1/exchanges/" + id + "/content", null));
        pull.put("Accept", "text/csv");
        Reply pulled = client.request("routing", "GET", "/api/v1/exchanges/" + id + "/content", pull, null).expect(200);
        assertEquals(new String(csv, StandardCharsets.UTF_8), pulled.raw());
        String digest = pulled.header("x-content-sha256");
        JsonNode delivered = providerSigned("POST", "/api/v1/exchanges/" + id + "/confirm",
                ("{\"sha256\":\"" + digest + "\"}").getBytes(StandardCharsets.UTF_8), providerKey, providerSecret)
                .expect(200).json();
        assertEquals("delivered", delivered.path("state").asText());
        providerSigned("GET", "/api/v1/exchanges/" + id + "/content", null, providerKey, providerSecret).expect(410);
        assertEquals("delivered", client.get("routing", "/api/v1/exchanges/" + id, token).expect(200).json()
                .path("state").asText(), "the source reads the outcome");

        // audit holds the asynchronous transaction: who sent what to whom, with the digest, never the content
        JsonNode upload = recorded(uploaded.header("x-request-id"));
        assertEquals("async", upload.path("mode").asText(), upload.toString());
        assertEquals(CONSUMER_SYSTEM, upload.path("consumerSystem").asText());
        assertEquals(PROVIDER_SYSTEM, upload.path("providerSystem").asText());
        assertEquals(digest, upload.path("requestSha256").asText());
        assertFalse(upload.toString().contains("Hòa Bình"), "the record never holds the content");
        JsonNode pullRecord = recorded(pulled.header("x-request-id"));
        assertEquals(providerKey, pullRecord.path("clientId").asText(), "the pull is recorded with the key that signed it: " + pullRecord);
    }

    private static Reply providerSigned(String method, String path, byte[] body, String key, String secret) {
        return client.request("routing", method, path, Signing.headers(client, "routing", key, secret, method, path, body),
                body);
    }

    private static Reply replayOf(String path) {
        signed("GET", path, null).expect(200);
        return client.request("gateway", "GET", path, lastSigned, null);
    }

    private static JsonNode recorded(String requestId) {
        return recorded(requestId, Duration.ofSeconds(5));
    }

    private static JsonNode recorded(String requestId, Duration within) {
        assertNotNull(requestId, "the gateway answers with X-Request-Id");
        Reply events = eventually(within, () -> client.get("audit", "/api/v1/events?requestId=" + requestId, op),
                r -> r.status() == 200 && r.json().path("items").size() == 1);
        assertEquals(1, events.json().path("items").size(), "audit holds exactly one record of " + requestId + ": "
                + events.raw());
        return events.json().path("items").get(0).path("event");
    }

    private static boolean hasAlert(Reply r, String kind) {
        if (r.status() != 200) {
            return false;
        }
        for (JsonNode item : r.json().path("items")) {
            if (kind.equals(item.path("event").path("errorType").asText())) {
                return true;
            }
        }
        return false;
    }

    private static void assertProblem(Reply reply, int status, String slug) {
        assertEquals(status, reply.status(), reply.raw());
        assertTrue(reply.contentType() != null && reply.contentType().startsWith("application/problem+json"),
                "problem+json expected, got " + reply.contentType());
        assertEquals("urn:lgsp:problem:" + slug, reply.json().path("type").asText(), reply.raw());
    }
}
