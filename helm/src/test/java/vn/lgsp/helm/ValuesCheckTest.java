package vn.lgsp.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The strict schema and the values check refuse what would install a broken or unsafe release. */
class ValuesCheckTest {

    static final String CHECK = "The LGSP values are not consistent";
    static final Path DEFAULTS = ChartUnderTest.ciValues("defaults");

    static Stream<Arguments> badCombinations() {
        return Stream.of(
                Arguments.of(ChartUnderTest.sets("routing.autoscaling.minReplicas", 8, "routing.autoscaling.maxReplicas", 4),
                        "routing.autoscaling: minReplicas (8) is greater than maxReplicas (4)"),
                Arguments.of(ChartUnderTest.sets("auth.image.tag", "", "auth.image.digest", ""),
                        "auth.image: set a tag or a digest"),
                Arguments.of(ChartUnderTest.sets("catalog.image.flavour", "native"),
                        "catalog.image.flavour=native runs no JVM: clear catalog.jvm.options"),
                Arguments.of(ChartUnderTest.sets("routing.ingress.enabled", true),
                        "routing.ingress.enabled: list at least one host"),
                Arguments.of(ChartUnderTest.sets("registry.ingress.enabled", true, "registry.ingress.hosts[0]", "r.example.gov.vn"),
                        "registry.ingress: ingress.tls is on, so set registry.ingress.tlsSecretName"),
                Arguments.of(ChartUnderTest.sets("audit.podDisruptionBudget.minAvailable", 1),
                        "audit.podDisruptionBudget: set maxUnavailable or minAvailable, not both"),
                Arguments.of(ChartUnderTest.sets("audit.podDisruptionBudget.maxUnavailable", "", "audit.podDisruptionBudget.minAvailable", 2),
                        "audit.podDisruptionBudget.minAvailable (2) must be below the fewest replicas (2)"),
                Arguments.of(ChartUnderTest.sets("postgresql.external.host", ""),
                        "postgresql: set postgresql.external.host (an existing server) or postgresql.cloudnativepg.enabled=true"),
                Arguments.of(ChartUnderTest.sets("postgresql.cloudnativepg.enabled", true),
                        "set either postgresql.external.host or postgresql.cloudnativepg.enabled, not both"),
                Arguments.of(ChartUnderTest.sets("postgresql.external.host", "", "postgresql.cloudnativepg.enabled", true),
                        "migrations.mode=job runs before install, but postgresql.cloudnativepg.enabled creates the database"),
                Arguments.of(ChartUnderTest.sets("postgresql.external.sslmode", "verify-full"),
                        "postgresql.external.sslmode=verify-full verifies the server certificate: set postgresql.external.caSecret"),
                Arguments.of(ChartUnderTest.sets("postgresql.external.existingSecret", ""),
                        "postgresql.external.existingSecret: name the Secret with the database user and password"),
                Arguments.of(ChartUnderTest.sets("secrets.auth.existingSecret", ""),
                        "secrets.auth.existingSecret: name the Secret with master-key and operator-password"),
                Arguments.of(ChartUnderTest.sets("secrets.routingAssertionKey.existingSecret", ""),
                        "without it every routing replica would sign with its own key"),
                Arguments.of(ChartUnderTest.sets("otel.enabled", true),
                        "otel.enabled: set otel.endpoint"),
                Arguments.of(ChartUnderTest.sets("global.forwardedHeaders.enabled", true),
                        "set global.forwardedHeaders.trustedProxies, or any caller could forge its address"),
                Arguments.of(ChartUnderTest.sets("global.output", "plain"),
                        "global.output=plain has no Helm hooks: use migrations.mode=initContainer"),
                Arguments.of(ChartUnderTest.sets("registry.config.LGSP_AUTH_CLIENT_SECRET", "oops"),
                        "registry.config.LGSP_AUTH_CLIENT_SECRET looks like a secret"),
                Arguments.of(ChartUnderTest.sets("routing.auditSpool.maxBytes", 2147483648L),
                        "routing.auditSpool: maxBytes (2147483648) must stay at least 64 MiB below sizeLimit (2Gi)"),
                Arguments.of(ChartUnderTest.sets("routing.auditSpool.sizeLimit", "1100M"),
                        "routing.auditSpool: maxBytes (1073741824) must stay at least 64 MiB below sizeLimit (1100M)"),
                Arguments.of(ChartUnderTest.sets("audit.auditSpool.enabled", true),
                        "audit.auditSpool.enabled: audit writes its own log and publishes no audit events"),
                Arguments.of(ChartUnderTest.sets("metrics.prometheusRule.enabled", true),
                        "metrics.prometheusRule.enabled: the alerts select the scrape jobs of the ServiceMonitors"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badCombinations")
    void badCombinationsFailRenderingWithTheValuesCheckMessage(Map<String, Object> sets, String expected) {
        assertNull(ChartUnderTest.renderFailure(DEFAULTS, Map.of()), "the baseline renders");
        String failure = ChartUnderTest.renderFailure(DEFAULTS, sets);
        assertNotNull(failure, "rendering should fail for " + sets);
        assertTrue(failure.contains(CHECK), failure);
        assertTrue(failure.contains(expected), "expected «" + expected + "» in:\n" + failure);
    }

    @Test
    void theBareDefaultsNameEveryMissingSecretAtOnce() {
        String failure = ChartUnderTest.renderFailure(null, Map.of());
        assertNotNull(failure);
        for (String expected : List.of("postgresql.external.host", "postgresql.external.existingSecret", "secrets.auth.existingSecret",
                "secrets.serviceClients.existingSecret", "secrets.routingAssertionKey.existingSecret", "secrets.auditAnchorKey.existingSecret")) {
            assertTrue(failure.contains(expected), expected + " in:\n" + failure);
        }
    }

    @Test
    void lintChecksTheSchemaButLeavesTheValuesCheckToRendering() throws IOException {
        // helm lint runs `fail` in lint mode (logged, not failed), so the values check is enforced by rendering
        // (the tests above); lint still refuses values the schema refuses.
        Path broken = ChartUnderTest.WORK.resolve("schema-broken-values.yaml");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, Files.readString(DEFAULTS) + "routing:\n  replicaz: 3\n");
        LintResult result = ChartUnderTest.lint(broken);
        assertTrue(result.isFailed(), String.join("\n", result.getMessages()));
        assertTrue(String.join("\n", result.getMessages()).contains("replicaz"), String.join("\n", result.getMessages()));
    }

    static Stream<Arguments> schemaViolations() {
        return Stream.of(
                Arguments.of(ChartUnderTest.sets("routing.replicaz", 3), "additional properties 'replicaz' not allowed"),
                Arguments.of(ChartUnderTest.sets("unknownTopLevel", true), "additional properties 'unknownTopLevel' not allowed"),
                Arguments.of(ChartUnderTest.sets("secrets.auth.password", "hunter2"), "additional properties 'password' not allowed"),
                Arguments.of(ChartUnderTest.sets("postgresql.external.password", "hunter2"), "additional properties 'password' not allowed"),
                Arguments.of(ChartUnderTest.sets("auth.image.flavour", "graalvm"), "/auth/image/flavour"),
                Arguments.of(ChartUnderTest.sets("audit.image.digest", "sha256:abc"), "/audit/image/digest"),
                Arguments.of(ChartUnderTest.sets("postgresql.external.sslmode", "prefer"), "/postgresql/external/sslmode"),
                Arguments.of(ChartUnderTest.sets("migrations.mode", "atStartup"), "/migrations/mode"),
                Arguments.of(ChartUnderTest.sets("catalog.config.JAVA_HOME", "/x"), "'JAVA_HOME' does not match pattern"),
                Arguments.of(ChartUnderTest.sets("routing.autoscaling.targetCPUUtilizationPercentage", 150),
                        "/routing/autoscaling/targetCPUUtilizationPercentage"),
                Arguments.of(ChartUnderTest.sets("tests.image.tag", "latest"), "/tests/image/tag"),
                Arguments.of(ChartUnderTest.sets("routing.auditSpool.sizeLimit", "2GB"), "/routing/auditSpool/sizeLimit"),
                Arguments.of(ChartUnderTest.sets("routing.auditSpool.maxBytes", "1G"), "/routing/auditSpool/maxBytes"),
                Arguments.of(ChartUnderTest.sets("metrics.prometheusRule.gatewayErrorRatio", 5), "/metrics/prometheusRule/gatewayErrorRatio"),
                Arguments.of(ChartUnderTest.sets("singleSignOn.identityProviders.tinh.issuer", "https://sso.tinh.gov.vn"),
                        "missing property 'audience'"),
                Arguments.of(ChartUnderTest.sets("singleSignOn.identityProviders.Tinh_SSO.issuer", "https://sso.tinh.gov.vn",
                        "singleSignOn.identityProviders.Tinh_SSO.audience", "lgsp"), "invalid propertyName 'Tinh_SSO'"),
                Arguments.of(ChartUnderTest.sets("singleSignOn.identityProviders.tinh.issuer", "http://sso.tinh.gov.vn",
                        "singleSignOn.identityProviders.tinh.audience", "lgsp"), "/singleSignOn/identityProviders/tinh/issuer"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("schemaViolations")
    void theSchemaRefusesUnknownKeysAndBadValues(Map<String, Object> sets, String expected) {
        String failure = ChartUnderTest.renderFailure(DEFAULTS, sets);
        assertNotNull(failure, "the schema should refuse " + sets);
        assertTrue(failure.contains("schema"), failure);
        assertTrue(failure.contains(expected), "expected «" + expected + "» in:\n" + failure);
    }

    @Test
    void theSchemaIsStrictEverywhere() throws IOException {
        // Every object in the schema either lists its properties and refuses others, or is a typed map.
        JsonNode schema = ChartUnderTest.YAML.readTree(ChartUnderTest.CHART.resolve("values.schema.json").toFile());
        List<String> loose = new ArrayList<>();
        strict(schema, "", loose);
        assertEquals(List.of(), loose);
        assertTrue(schema.path("required").size() >= 15, "top-level keys are required");
    }

    private static void strict(JsonNode node, String path, List<String> loose) {
        if (node.isObject()) {
            if ("object".equals(node.path("type").asText()) && node.has("properties")) {
                if (!node.path("additionalProperties").isBoolean() || node.path("additionalProperties").asBoolean()) {
                    loose.add(path + " allows unknown keys");
                }
                if (!node.has("required")) {
                    loose.add(path + " requires nothing");
                }
            }
            node.fields().forEachRemaining(e -> strict(e.getValue(), path + "/" + e.getKey(), loose));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                strict(node.get(i), path + "[" + i + "]", loose);
            }
        }
    }

    @Test
    void valuesYamlHoldsNoSecretValue() throws IOException {
        String text = Files.readString(ChartUnderTest.CHART.resolve("values.yaml"));
        assertTrue(!text.contains("PRIVATE KEY") && !text.contains("BEGIN "), "no PEM in values.yaml");
        JsonNode values = ChartUnderTest.YAML.readTree(text);
        List<String> found = new ArrayList<>();
        scanSecrets(values, "", found);
        assertEquals(List.of(), found, "values that look like secrets");
        // Every Secret reference is empty by default: the operator names its own.
        assertEquals("", values.at("/secrets/auth/existingSecret").asText());
        assertEquals("", values.at("/postgresql/external/existingSecret").asText());
    }

    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|privatekey|masterkey|apikey).*");
    private static final Pattern RANDOM_LOOKING = Pattern.compile("^[A-Za-z0-9+/=_-]{24,}$");

    private static void scanSecrets(JsonNode node, String path, List<String> found) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String p = path + "." + e.getKey();
                JsonNode v = e.getValue();
                // A key naming a secret may only hold a reference: existingSecret / *SecretName / a key name.
                if (v.isValueNode() && SECRET_KEY.matcher(e.getKey()).matches() && !e.getKey().equals("existingSecret")
                        && !e.getKey().endsWith("SecretName") && !e.getKey().endsWith("Key") && !v.asText().isEmpty()) {
                    found.add(p + "=" + v.asText());
                }
                scanSecrets(v, p, found);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                scanSecrets(node.get(i), path + "[" + i + "]", found);
            }
        } else if (node.isTextual() && RANDOM_LOOKING.matcher(node.asText()).matches() && !node.asText().contains("/")) {
            found.add(path + " looks like a key");
        }
    }
}
