package vn.lgsp.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's promises, checked on what Helm renders for every scenario under ci/ and the operator example:
 * typed objects only, hardened pods, probes, autoscaling at 75% CPU, Services and budgets that select real pods,
 * a NetworkPolicy for every pod with the platform's call graph, once-per-release migrations, no secret values.
 */
class ChartRenderingTest {

    static final List<String> SERVICES = List.of("routing", "registry", "auth", "catalog", "audit");

    /** Who calls whom (docs/internal-apis.md; every service fetches auth's JWKS, auth included). */
    static final Map<String, Set<String>> CALLS = Map.of(
            "routing", Set.of("auth", "catalog", "audit"),
            "registry", Set.of("auth", "catalog", "audit"),
            "auth", Set.of("auth", "catalog", "audit"),
            "catalog", Set.of("registry", "auth", "audit"),
            "audit", Set.of("auth"));

    static Stream<Path> scenarios() {
        return ChartUnderTest.scenarios().stream();
    }

    static Manifests rendered(Path values) {
        return Manifests.parse(ChartUnderTest.render(values));
    }

    static String name(String component) {
        return ChartUnderTest.RELEASE + "-" + component;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void lintStrictPasses(Path values) {
        LintResult result = ChartUnderTest.lint(values);
        assertFalse(result.isFailed(), () -> "helm lint --strict failed:\n" + String.join("\n", result.getMessages()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyObjectIsATypedKubernetesObjectWithoutUnknownFields(Path values) {
        Manifests m = rendered(values);
        for (String svc : SERVICES) {
            assertTrue(m.named(Deployment.class, name(svc)).isPresent(), "Deployment of " + svc);
            assertTrue(m.named(Service.class, name(svc)).isPresent(), "Service of " + svc);
            assertTrue(m.named(ServiceAccount.class, name(svc)).isPresent(), "ServiceAccount of " + svc);
            assertTrue(m.named(ConfigMap.class, name(svc)).isPresent(), "ConfigMap of " + svc);
            assertTrue(m.named(NetworkPolicy.class, name(svc)).isPresent(), "NetworkPolicy of " + svc);
            assertTrue(m.named(PodDisruptionBudget.class, name(svc)).isPresent(), "PodDisruptionBudget of " + svc);
        }
        m.all(ServiceAccount.class).forEach(sa -> assertEquals(Boolean.FALSE, sa.getAutomountServiceAccountToken(),
                "ServiceAccount " + sa.getMetadata().getName() + " must not mount API tokens"));
    }

    @Test
    void unknownFieldsAreCaughtAtAnyDepth() {
        // The parser itself must refuse what the models do not know, or every test above proves nothing.
        String typo = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x
                          resources: {limits: {cpu: "1"}}
                          securityContext: {readOnlyRootFilesystm: true}
                """;
        AssertionError e = assertThrows(AssertionError.class, () -> Manifests.parse(typo));
        assertTrue(e.getMessage().contains("readOnlyRootFilesystm"), e.getMessage());
        AssertionError kind = assertThrows(AssertionError.class,
                () -> Manifests.parse("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"));
        assertTrue(kind.getMessage().contains("no typed model"), kind.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyContainerHasResourcesAndTheHardenedSecurityContext(Path values) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, PodTemplateSpec> pod : rendered(values).podTemplates()) {
            PodSpec spec = pod.getValue().getSpec();
            PodSecurityContext psc = spec.getSecurityContext();
            if (psc == null || !Boolean.TRUE.equals(psc.getRunAsNonRoot()) || psc.getRunAsUser() == null || psc.getRunAsUser() == 0
                    || psc.getSeccompProfile() == null || !"RuntimeDefault".equals(psc.getSeccompProfile().getType())) {
                problems.add(pod.getKey() + ": pod securityContext must run as a non-root UID with seccomp RuntimeDefault");
            }
            if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
                problems.add(pod.getKey() + ": automountServiceAccountToken must be false");
            }
            List<Container> containers = new ArrayList<>(spec.getContainers());
            if (spec.getInitContainers() != null) {
                containers.addAll(spec.getInitContainers());
            }
            for (Container c : containers) {
                String where = pod.getKey() + "/" + c.getName();
                var r = c.getResources();
                for (String res : List.of("cpu", "memory")) {
                    if (r == null || r.getRequests() == null || !r.getRequests().containsKey(res)
                            || r.getLimits() == null || !r.getLimits().containsKey(res)) {
                        problems.add(where + ": needs a " + res + " request and limit");
                    }
                }
                SecurityContext sc = c.getSecurityContext();
                if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())
                        || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())
                        || !Boolean.TRUE.equals(sc.getRunAsNonRoot())
                        || sc.getCapabilities() == null || !sc.getCapabilities().getDrop().contains("ALL")
                        || (sc.getCapabilities().getAdd() != null && !sc.getCapabilities().getAdd().isEmpty())
                        || sc.getSeccompProfile() == null || !"RuntimeDefault".equals(sc.getSeccompProfile().getType())) {
                    problems.add(where + ": securityContext must be non-root, read-only, no escalation, drop ALL, seccomp RuntimeDefault");
                }
                boolean isCurl = c.getImage().contains("curl");
                boolean tmpFromEmptyDir = c.getVolumeMounts() != null && c.getVolumeMounts().stream()
                        .anyMatch(vm -> vm.getMountPath().equals("/tmp") && spec.getVolumes().stream()
                                .anyMatch(v -> v.getName().equals(vm.getName()) && v.getEmptyDir() != null));
                if (!isCurl && !tmpFromEmptyDir) {
                    problems.add(where + ": /tmp must be an emptyDir (the root filesystem is read-only)");
                }
                if (c.getVolumeMounts() != null) {
                    // Writable: only scratch space of the pod's own (emptyDirs: /tmp, the audit spool); all else read-only.
                    c.getVolumeMounts().stream().filter(vm -> !Boolean.TRUE.equals(vm.getReadOnly()) && spec.getVolumes().stream()
                                    .noneMatch(v -> v.getName().equals(vm.getName()) && v.getEmptyDir() != null))
                            .forEach(vm -> problems.add(where + ": " + vm.getMountPath() + " must be mounted read-only"));
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyServiceContainerHasTheThreeHealthProbes(Path values) {
        for (Deployment d : rendered(values).all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String where = d.getMetadata().getName() + "/" + c.getName();
                assertProbe(where, "startup", c.getStartupProbe(), "/q/health/started");
                assertProbe(where, "liveness", c.getLivenessProbe(), "/q/health/live");
                assertProbe(where, "readiness", c.getReadinessProbe(), "/q/health/ready");
                assertTrue(c.getPorts().stream().anyMatch(p -> "http".equals(p.getName())), where + " names its port http");
            }
        }
    }

    private static void assertProbe(String where, String kind, Probe probe, String path) {
        assertNotNull(probe, where + " has no " + kind + " probe");
        assertNotNull(probe.getHttpGet(), where + " " + kind + " probe is not HTTP");
        assertEquals(path, probe.getHttpGet().getPath(), where + " " + kind + " probe path");
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), where + " " + kind + " probe port");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyHpaScalesAnExistingDeploymentOnCpuAt75Percent(Path values) {
        Manifests m = rendered(values);
        Set<String> deployments = m.all(Deployment.class).stream().map(d -> d.getMetadata().getName()).collect(Collectors.toSet());
        Set<String> scaled = new TreeSet<>();
        for (HorizontalPodAutoscaler hpa : m.all(HorizontalPodAutoscaler.class)) {
            var ref = hpa.getSpec().getScaleTargetRef();
            assertEquals("Deployment", ref.getKind());
            assertEquals("apps/v1", ref.getApiVersion());
            assertTrue(deployments.contains(ref.getName()), "HPA " + hpa.getMetadata().getName() + " targets missing " + ref.getName());
            assertTrue(hpa.getSpec().getMinReplicas() <= hpa.getSpec().getMaxReplicas());
            assertTrue(hpa.getSpec().getMinReplicas() >= 2, "at least two replicas survive a node loss");
            MetricSpec cpu = hpa.getSpec().getMetrics().stream()
                    .filter(x -> x.getResource() != null && "cpu".equals(x.getResource().getName())).findFirst().orElseThrow();
            assertEquals("Utilization", cpu.getResource().getTarget().getType());
            assertEquals(75, cpu.getResource().getTarget().getAverageUtilization(), "CPU target is the regulation's 75%");
            scaled.add(ref.getName());
        }
        for (Deployment d : m.all(Deployment.class)) {
            // A Deployment with replicas set is not autoscaled; one without must be, or it would run a single pod.
            boolean fixed = d.getSpec().getReplicas() != null;
            assertEquals(!fixed, scaled.contains(d.getMetadata().getName()), d.getMetadata().getName() + " replicas vs HPA");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void servicesAndBudgetsSelectPodsThatExist(Path values) {
        Manifests m = rendered(values);
        List<Deployment> deployments = m.all(Deployment.class);
        for (Service s : m.all(Service.class)) {
            List<Deployment> matched = deployments.stream()
                    .filter(d -> matches(s.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels())).toList();
            assertEquals(1, matched.size(), "Service " + s.getMetadata().getName() + " selects the pods of one Deployment");
            Container c = matched.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
            s.getSpec().getPorts().forEach(p -> assertTrue(c.getPorts().stream()
                    .anyMatch(cp -> cp.getName().equals(p.getTargetPort().getStrVal())), "Service targetPort exists"));
        }
        for (PodDisruptionBudget pdb : m.all(PodDisruptionBudget.class)) {
            assertEquals(1, deployments.stream().filter(d -> matches(pdb.getSpec().getSelector().getMatchLabels(),
                    d.getSpec().getTemplate().getMetadata().getLabels())).count(), "PDB " + pdb.getMetadata().getName());
        }
        for (Ingress ing : m.all(Ingress.class)) {
            ing.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(p -> assertTrue(
                    m.named(Service.class, p.getBackend().getService().getName()).isPresent(), "Ingress backend exists")));
            assertNotNull(ing.getSpec().getTls(), "Ingress " + ing.getMetadata().getName() + " without TLS") ;
        }
        for (ServiceMonitor sm : m.all(ServiceMonitor.class)) {
            assertEquals(1, m.all(Service.class).stream().filter(s -> matches(sm.getSpec().getSelector().getMatchLabels(),
                    s.getMetadata().getLabels())).count(), "ServiceMonitor " + sm.getMetadata().getName());
            assertEquals("/q/metrics", sm.getSpec().getEndpoints().get(0).getPath());
        }
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
        return matches(selector.getMatchLabels(), labels);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aNetworkPolicyCoversEveryPodAndFollowsTheCallGraph(Path values) {
        Manifests m = rendered(values);
        List<NetworkPolicy> policies = m.all(NetworkPolicy.class);
        for (Map.Entry<String, PodTemplateSpec> pod : m.podTemplates()) {
            Map<String, String> labels = pod.getValue().getMetadata().getLabels();
            List<NetworkPolicy> covering = policies.stream().filter(p -> selects(p.getSpec().getPodSelector(), labels)).toList();
            assertFalse(covering.isEmpty(), pod.getKey() + " is selected by no NetworkPolicy");
            covering.forEach(p -> assertEquals(List.of("Ingress", "Egress"), p.getSpec().getPolicyTypes(),
                    p.getMetadata().getName() + " restricts both directions"));
        }
        for (NetworkPolicy p : policies) {
            for (NetworkPolicyIngressRule rule : p.getSpec().getIngress()) {
                assertFalse(rule.getFrom() == null || rule.getFrom().isEmpty(), p.getMetadata().getName() + ": an ingress rule open to all");
            }
        }
        for (String svc : SERVICES) {
            NetworkPolicy p = m.named(NetworkPolicy.class, name(svc)).orElseThrow();
            Set<String> from = components(p.getSpec().getIngress().stream().flatMap(r -> r.getFrom().stream()));
            Set<String> expectedFrom = CALLS.entrySet().stream().filter(e -> e.getValue().contains(svc)).map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (svc.equals("routing") && !m.all(io.fabric8.kubernetes.api.model.Pod.class).isEmpty()) {
                expectedFrom.add("test");
            }
            assertEquals(expectedFrom, from, svc + " accepts platform calls only from its callers");
            Set<String> to = components(p.getSpec().getEgress().stream().flatMap(r -> r.getTo() == null ? Stream.empty() : r.getTo().stream()));
            assertEquals(new TreeSet<>(CALLS.get(svc)), to, svc + " reaches only the services it calls");
            boolean dns = p.getSpec().getEgress().stream().anyMatch(r -> r.getPorts().stream().anyMatch(x -> x.getPort().getIntVal() == 53));
            assertTrue(dns, svc + " resolves names");
            var controller = ChartUnderTest.values(values).path("networkPolicy").path("ingressController").path("namespaceSelector");
            boolean ingressController = p.getSpec().getIngress().stream().flatMap(r -> r.getFrom().stream())
                    .anyMatch(peer -> peer.getNamespaceSelector() != null
                            && Manifests.YAML.valueToTree(peer.getNamespaceSelector()).equals(controller));
            assertEquals(m.named(Ingress.class, name(svc)).isPresent(), ingressController,
                    svc + ": the ingress controller reaches it exactly when it has an Ingress");
            for (NetworkPolicyEgressRule rule : p.getSpec().getEgress()) {
                assertFalse(rule.getPorts() == null || rule.getPorts().isEmpty(), svc + ": an egress rule without ports");
            }
        }
    }

    private static Set<String> components(Stream<NetworkPolicyPeer> peers) {
        return peers.filter(peer -> peer.getNamespaceSelector() == null && peer.getPodSelector() != null
                        && peer.getPodSelector().getMatchLabels() != null)
                .map(peer -> peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/component"))
                .filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void migrationsRunOncePerReleaseAndPodsOnlyValidate(Path values) {
        Manifests m = rendered(values);
        List<Job> jobs = m.all(Job.class);
        boolean jobMode = !jobs.isEmpty();
        for (String svc : SERVICES) {
            ConfigMap cm = m.named(ConfigMap.class, name(svc)).orElseThrow();
            assertEquals("false", cm.getData().get("QUARKUS_FLYWAY_MIGRATE_AT_START"), svc + " pods never migrate");
            assertEquals("true", cm.getData().get("QUARKUS_FLYWAY_VALIDATE_AT_START"), svc + " pods check the schema");
            PodSpec pod = m.named(Deployment.class, name(svc)).orElseThrow().getSpec().getTemplate().getSpec();
            if (jobMode) {
                Job job = m.named(Job.class, name(svc) + "-migrate").orElseThrow(() -> new AssertionError("no migration Job for " + svc));
                assertEquals("pre-install,pre-upgrade", Manifests.hook(job));
                assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
                Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
                assertEquals(pod.getContainers().get(0).getImage(), c.getImage(), "the Job runs the service's own image");
                assertEquals("true", env(c, "QUARKUS_INIT_AND_EXIT"));
                assertEquals("true", env(c, "QUARKUS_FLYWAY_MIGRATE_AT_START"));
                assertTrue(pod.getInitContainers() == null || pod.getInitContainers().isEmpty());
                // The Job's own hooks (identity, network) exist before it.
                ServiceAccount sa = m.named(ServiceAccount.class, job.getSpec().getTemplate().getSpec().getServiceAccountName()).orElseThrow();
                assertEquals("pre-install,pre-upgrade", Manifests.hook(sa));
            } else {
                Container init = pod.getInitContainers().stream().filter(c -> c.getName().equals("migrate")).findFirst().orElseThrow();
                assertEquals("true", env(init, "QUARKUS_INIT_AND_EXIT"));
                assertEquals("true", env(init, "QUARKUS_FLYWAY_MIGRATE_AT_START"));
            }
        }
    }

    static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void noSecretValueIsRenderedOnlyReferences(Path values) {
        Manifests m = rendered(values);
        assertEquals(List.of(), m.all(Secret.class), "the chart never renders a Secret: they are created by the operator");
        for (ConfigMap cm : m.all(ConfigMap.class)) {
            cm.getData().forEach((k, v) -> {
                assertFalse(k.matches(".*(PASSWORD|SECRET|PRIVATE_KEY|MASTER_KEY).*"), cm.getMetadata().getName() + " holds " + k);
                assertFalse(v.contains("PRIVATE KEY"), cm.getMetadata().getName() + "." + k + " holds a key");
            });
        }
        for (Map.Entry<String, PodTemplateSpec> pod : m.podTemplates()) {
            Stream.concat(pod.getValue().getSpec().getContainers().stream(),
                            pod.getValue().getSpec().getInitContainers() == null ? Stream.empty() : pod.getValue().getSpec().getInitContainers().stream())
                    .flatMap(c -> c.getEnv() == null ? Stream.empty() : c.getEnv().stream())
                    .filter(e -> e.getName().matches(".*(PASSWORD|SECRET|PRIVATE_KEY|MASTER_KEY|_USER)$")
                            || e.getName().startsWith("LGSP_AUTH_SERVICE_CLIENTS_"))
                    .forEach(e -> {
                        assertNull(e.getValue(), pod.getKey() + " sets " + e.getName() + " inline");
                        assertNotNull(e.getValueFrom().getSecretKeyRef(), pod.getKey() + " reads " + e.getName() + " from a Secret");
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void eachServiceReadsOnlyItsOwnSecrets(Path values) {
        Manifests m = rendered(values);
        Map<String, Set<String>> expected = Map.of(
                "routing", Set.of("LGSP_DB_USER", "LGSP_DB_PASSWORD", "LGSP_PLATFORM_CLIENT_SECRET", "LGSP_ROUTING_ASSERTION_KEY"),
                "registry", Set.of("LGSP_DB_USER", "LGSP_DB_PASSWORD", "LGSP_PLATFORM_CLIENT_SECRET"),
                "auth", Set.of("LGSP_DB_USER", "LGSP_DB_PASSWORD", "LGSP_AUTH_MASTER_KEY", "LGSP_AUTH_BOOTSTRAP_OPERATOR_PASSWORD",
                        "LGSP_AUTH_SERVICE_CLIENTS_ROUTING", "LGSP_AUTH_SERVICE_CLIENTS_REGISTRY", "LGSP_AUTH_SERVICE_CLIENTS_CATALOG",
                        "LGSP_AUTH_SERVICE_CLIENTS_AUDIT"),
                "catalog", Set.of("LGSP_DB_USER", "LGSP_DB_PASSWORD", "LGSP_PLATFORM_CLIENT_SECRET"),
                // audit's client secret: its token for auth's revocation feed
                "audit", Set.of("LGSP_DB_USER", "LGSP_DB_PASSWORD", "LGSP_PLATFORM_CLIENT_SECRET", "LGSP_AUDIT_ANCHOR_PRIVATE_KEY",
                        "LGSP_AUDIT_ANCHOR_PUBLIC_KEY"));
        for (String svc : SERVICES) {
            Container c = m.named(Deployment.class, name(svc)).orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
            Set<String> fromSecrets = c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .map(EnvVar::getName).collect(Collectors.toSet());
            assertEquals(expected.get(svc), fromSecrets, svc);
            // Secrets referenced by name must be the ones the values name (nothing invented by the chart).
            c.getEnv().stream().filter(e -> e.getValueFrom() != null).forEach(e -> assertFalse(
                    e.getValueFrom().getSecretKeyRef().getName().isBlank(), svc + " " + e.getName()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void configurationReachesEachServiceUnderTheNamesItReads(Path values) {
        Manifests m = rendered(values);
        for (String svc : SERVICES) {
            Map<String, String> data = m.named(ConfigMap.class, name(svc)).orElseThrow().getData();
            for (String peer : List.of("registry", "auth", "catalog", "audit")) {
                assertTrue(data.get("LGSP_PLATFORM_" + peer.toUpperCase() + "_URL").matches("http://lgsp-" + peer + ":808[1-4]"));
            }
            assertEquals(svc, data.get("LGSP_PLATFORM_CLIENT_ID"));
            assertNotNull(data.get("LGSP_JWT_ISSUER"));
            assertNotNull(data.get("LGSP_DB_HOST"));
            assertTrue(Set.of("none", "otlp").contains(data.get("LGSP_OTEL_EXPORTER")));
            Deployment d = m.named(Deployment.class, name(svc)).orElseThrow();
            boolean nativeImage = d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser() == 1001L;
            if (nativeImage) {
                assertNull(data.get("JAVA_OPTS"), svc + ": a native image has no JVM options");
            } else {
                assertTrue(data.get("JAVA_OPTS").contains("-XX:MaxRAMPercentage="), svc + " sizes its heap from the limit");
                assertEquals(svc.equals("routing"), data.get("JAVA_OPTS").contains("-XX:+UseParallelGC"), svc + " GC");
            }
        }
        // Every service signs/verifies tokens with one issuer.
        assertEquals(1, SERVICES.stream().map(s -> m.named(ConfigMap.class, name(s)).orElseThrow().getData().get("LGSP_JWT_ISSUER"))
                .distinct().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void routingSpoolsAuditRecordsOnAnEmptyDirSizedAboveMaxBytesAndDrainsWithinTheGracePeriod(Path values) {
        Manifests m = rendered(values);
        for (String svc : SERVICES) {
            Map<String, String> data = m.named(ConfigMap.class, name(svc)).orElseThrow().getData();
            PodSpec pod = m.named(Deployment.class, name(svc)).orElseThrow().getSpec().getTemplate().getSpec();
            String dir = data.get("LGSP_PLATFORM_AUDIT_SPOOL_DIR");
            if (!svc.equals("routing")) {
                assertEquals("", dir, svc + " keeps its few audit events in memory (an empty value unsets the directory)");
                assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getName().equals("audit-spool")), svc);
                continue;
            }
            assertEquals("/var/lib/lgsp/audit-spool", dir, "routing's default spool directory, where the image creates it");
            var volume = pod.getVolumes().stream().filter(v -> v.getName().equals("audit-spool")).findFirst().orElseThrow();
            assertNotNull(volume.getEmptyDir(), "an emptyDir: survives container restarts, not the pod");
            long sizeLimit = volume.getEmptyDir().getSizeLimit().getNumericalAmount().longValueExact();
            long maxBytes = Long.parseLong(data.get("LGSP_PLATFORM_AUDIT_SPOOL_MAX_BYTES"));
            assertTrue(maxBytes + (64L << 20) <= sizeLimit, "max-bytes " + maxBytes + " leaves room below sizeLimit " + sizeLimit);
            Container c = pod.getContainers().get(0);
            assertTrue(c.getVolumeMounts().stream().anyMatch(vm -> vm.getName().equals("audit-spool") && vm.getMountPath().equals(dir)
                    && !Boolean.TRUE.equals(vm.getReadOnly())), "the spool is mounted writable where the service writes it");
            if (pod.getInitContainers() != null) {
                pod.getInitContainers().forEach(init -> assertTrue(init.getVolumeMounts().stream()
                        .noneMatch(vm -> vm.getName().equals("audit-spool")), "the migration publishes nothing"));
            }
            long drain = java.time.Duration.parse("PT" + data.get("LGSP_PLATFORM_AUDIT_DRAIN_TIMEOUT").toUpperCase()).toSeconds();
            long calls = java.time.Duration.parse("PT" + data.get("LGSP_ROUTING_DATA_PLANE_SHUTDOWN_GRACE").toUpperCase()).toSeconds();
            long preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();
            assertTrue(drain > 0 && calls > 0 && preStop + calls + drain < pod.getTerminationGracePeriodSeconds(),
                    "calls in flight (" + calls + " s), then the drain (" + drain + " s) end before the kubelet kills the pod");
        }
    }

    @Test
    void routingWithoutTheSpoolKeepsItsRecordsInMemoryAndMountsNothing() {
        Manifests m = Manifests.parse(ChartUnderTest.render(ChartUnderTest.ciValues("defaults"),
                ChartUnderTest.sets("routing.auditSpool.enabled", false)));
        Map<String, String> data = m.named(ConfigMap.class, name("routing")).orElseThrow().getData();
        assertEquals("", data.get("LGSP_PLATFORM_AUDIT_SPOOL_DIR"), "overrides the application's default directory");
        assertNull(data.get("LGSP_PLATFORM_AUDIT_SPOOL_MAX_BYTES"));
        assertTrue(m.named(Deployment.class, name("routing")).orElseThrow().getSpec().getTemplate().getSpec().getVolumes()
                .stream().noneMatch(v -> v.getName().equals("audit-spool")));

        Manifests bigger = Manifests.parse(ChartUnderTest.render(ChartUnderTest.ciValues("defaults"), ChartUnderTest.sets(
                "routing.auditSpool.maxBytes", 4294967296L, "routing.auditSpool.sizeLimit", "5Gi",
                "routing.terminationGracePeriodSeconds", 60)));
        Map<String, String> big = bigger.named(ConfigMap.class, name("routing")).orElseThrow().getData();
        assertEquals("4294967296", big.get("LGSP_PLATFORM_AUDIT_SPOOL_MAX_BYTES"), "a plain number, not 4.294967296e+09");
        assertEquals("45s", big.get("LGSP_PLATFORM_AUDIT_DRAIN_TIMEOUT"), "60 s less 10 s and the data plane's 5 s");
        assertEquals("5Gi", bigger.named(Deployment.class, name("routing")).orElseThrow().getSpec().getTemplate().getSpec()
                .getVolumes().stream().filter(v -> v.getName().equals("audit-spool")).findFirst().orElseThrow()
                .getEmptyDir().getSizeLimit().toString());
    }

    @Test
    void theAlertsSelectTheScrapeJobsAndMetricsTheServicesExposeAndAreOffByDefault() throws IOException {
        assertTrue(rendered(ChartUnderTest.ciValues("defaults")).all(PrometheusRule.class).isEmpty(), "opt-in");
        Manifests m = rendered(ChartUnderTest.ciValues("production"));
        PrometheusRule rule = m.all(PrometheusRule.class).stream().findFirst().orElseThrow();
        assertEquals("kube-prometheus-stack", rule.getMetadata().getLabels().get("release"), "selected by the operator");
        Set<String> jobs = m.all(ServiceMonitor.class).stream().map(sm -> sm.getMetadata().getName()).collect(Collectors.toSet());
        // Micrometer meter names in the services' sources; lgsp_* series in the rules must be one of them.
        String sources;
        Path repo = ChartUnderTest.CHART.getParent().getParent();
        try (Stream<Path> files = Stream.concat(Files.walk(repo.resolve("services")), Files.walk(repo.resolve("libs")))) {
            sources = files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/"))
                    .map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).collect(Collectors.joining("\n"));
        }
        List<String> alerts = new ArrayList<>();
        Map<String, String> exprs = new java.util.HashMap<>();
        for (var group : rule.getSpec().getGroups()) {
            for (var r : group.getRules()) {
                alerts.add(r.getAlert());
                String expr = r.getExpr().getStrVal();
                assertNotNull(expr, r.getAlert());
                exprs.put(r.getAlert(), expr.strip());
                assertTrue(List.of("warning", "critical").contains(r.getLabels().get("severity")), r.getAlert());
                assertTrue(r.getAnnotations().get("summary").length() > 10 && r.getAnnotations().get("description").length() > 30,
                        r.getAlert() + " says what happened and what to do");
                Matcher job = Pattern.compile("job=~?\"([^\"]+)\"").matcher(expr);
                assertTrue(job.find(), r.getAlert() + " selects the platform's jobs: " + expr);
                do {
                    for (String j : job.group(1).split("\\|")) {
                        assertTrue(jobs.contains(j), r.getAlert() + ": job " + j + " is a ServiceMonitor's Service");
                    }
                } while (job.find());
                Matcher metric = Pattern.compile("\\blgsp_[a-z_]+").matcher(expr);
                while (metric.find()) {
                    String meter = metric.group().replaceFirst("_total$", "").replaceFirst("_seconds(_bucket|_count|_sum|_max)?$", "")
                            .replaceFirst("_(bytes|events)$", "").replace('_', '.');
                    assertTrue(sources.contains("\"" + meter + "\""), r.getAlert() + ": " + metric.group() + " is meter " + meter);
                }
            }
        }
        assertEquals(List.of("LgspServiceDown", "LgspGatewayServerErrors", "LgspGatewaySlow", "LgspProviderConnectionsShort", "LgspGatewaySnapshotStale", "LgspRevocationsStale", "LgspAuditSpoolFilling", "LgspAuditRecordsRefused",
                "LgspAuditRecordsSetAside", "LgspAuditAlertOpen", "LgspAuditWebhookFailing", "LgspAgencySyncStuck"), alerts);
        String yaml = ChartUnderTest.YAML.writeValueAsString(rule);
        assertTrue(yaml.contains("{{ $labels.pod }}"), "Prometheus' own templates reach Prometheus, not Helm");
        // Thresholds from values.yaml: gatewayErrorRatio, gatewayP99Seconds, auditSpoolRatio.
        assertTrue(exprs.get("LgspGatewayServerErrors").endsWith("> 0.05"), exprs.get("LgspGatewayServerErrors"));
        assertTrue(exprs.get("LgspGatewaySlow").endsWith("> 5"), exprs.get("LgspGatewaySlow"));
        assertTrue(exprs.get("LgspAuditSpoolFilling").endsWith("> 0.5"), exprs.get("LgspAuditSpoolFilling"));
        assertTrue(exprs.get("LgspProviderConnectionsShort").endsWith("> 1"), exprs.get("LgspProviderConnectionsShort"));
        assertTrue(exprs.get("LgspGatewaySnapshotStale").endsWith("> 300")
                && exprs.get("LgspGatewaySnapshotStale").contains("job=\"" + name("routing") + "\""), exprs.get("LgspGatewaySnapshotStale"));
        assertTrue(exprs.get("LgspRevocationsStale").endsWith("> 300")
                && exprs.get("LgspRevocationsStale").contains(name("audit")), exprs.get("LgspRevocationsStale"));
        assertTrue(exprs.get("LgspAgencySyncStuck").contains("job=\"" + name("registry") + "\""), exprs.get("LgspAgencySyncStuck"));
    }

    @Test
    void productionScenarioPinsDigestsAndExposesTheGatewayAndAdminApisWithTls() {
        Manifests m = rendered(ChartUnderTest.ciValues("production"));
        for (String svc : SERVICES) {
            String image = m.named(Deployment.class, name(svc)).orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
            assertTrue(image.startsWith("registry.lgsp.example.gov.vn/lgsp/" + svc + ":0.1.0@sha256:"), image);
            Ingress ing = m.named(Ingress.class, name(svc)).orElseThrow();
            assertEquals(ing.getSpec().getRules().get(0).getHost(), ing.getSpec().getTls().get(0).getHosts().get(0));
            assertEquals("lgsp-ca", ing.getMetadata().getAnnotations().get("cert-manager.io/cluster-issuer"));
            assertTrue(m.named(ServiceMonitor.class, name(svc)).isPresent());
            Map<String, String> data = m.named(ConfigMap.class, name(svc)).orElseThrow().getData();
            assertEquals("otlp", data.get("LGSP_OTEL_EXPORTER"));
            assertEquals("http://otel-collector.observability:4317", data.get("LGSP_OTEL_ENDPOINT"));
            assertEquals("verify-full", data.get("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE"));
            assertEquals("HTTPS", data.get("QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM"));
            assertEquals("10.42.0.0/16", data.get("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES"));
        }
        // routing: the Ingress sends / to the data plane's own port and only the assertion keys and the asynchronous
        // exchange API to the Quarkus port (the longer prefix wins over /), unbuffered, so the exchange's server-sent
        // events reach the systems as they happen; the operator's body size (64m here) overrides the chart's 20m.
        Ingress routingIngress = m.named(Ingress.class, name("routing")).orElseThrow();
        var routingPaths = routingIngress.getSpec().getRules().get(0).getHttp().getPaths();
        assertEquals(List.of("/.well-known/jwks.json Exact http", "/api/v1/exchanges Prefix http", "/ Prefix gateway"),
                routingPaths.stream().map(p -> p.getPath() + " " + p.getPathType() + " "
                        + p.getBackend().getService().getPort().getName()).toList());
        assertEquals("64m", routingIngress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-body-size"));
        assertEquals("off", routingIngress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-buffering"));
        assertTrue(m.named(Service.class, name("routing")).orElseThrow().getSpec().getPorts().stream()
                .anyMatch(p -> p.getName().equals("gateway") && p.getPort() == 8000 && p.getTargetPort().getStrVal().equals("gateway")));
        assertTrue(m.named(Deployment.class, name("routing")).orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0)
                .getPorts().stream().anyMatch(p -> p.getName().equals("gateway") && p.getContainerPort() == 8000));
        assertTrue(m.named(NetworkPolicy.class, name("routing")).orElseThrow().getSpec().getIngress().stream()
                .filter(r -> r.getFrom().stream().anyMatch(f -> f.getNamespaceSelector() != null))
                .anyMatch(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 8000)),
                "the ingress controller reaches the data plane");
        assertTrue(m.named(Service.class, name("registry")).orElseThrow().getSpec().getPorts().stream()
                .noneMatch(p -> p.getName().equals("gateway")), "only routing has a data plane");
        // Admin APIs are reachable only on their API paths, never /q/metrics.
        assertEquals(List.of("/api"), m.named(Ingress.class, name("registry")).orElseThrow().getSpec().getRules().get(0)
                .getHttp().getPaths().stream().map(p -> p.getPath()).toList());
        // PostgreSQL given as an IP: egress narrowed to it.
        NetworkPolicy routing = m.named(NetworkPolicy.class, name("routing")).orElseThrow();
        assertTrue(routing.getSpec().getEgress().stream().flatMap(r -> r.getTo() == null ? Stream.empty() : r.getTo().stream())
                .anyMatch(peer -> peer.getIpBlock() != null && peer.getIpBlock().getCidr().equals("10.20.0.15/32")));
        // routing (only) mounts the provider credentials, read-only, where it reads them.
        PodSpec routingPod = m.named(Deployment.class, name("routing")).orElseThrow().getSpec().getTemplate().getSpec();
        assertTrue(routingPod.getVolumes().stream().anyMatch(v -> v.getSecret() != null
                && v.getSecret().getSecretName().equals("lgsp-upstream-credentials")));
        assertTrue(routingPod.getContainers().get(0).getVolumeMounts().stream().anyMatch(vm ->
                vm.getMountPath().equals("/etc/lgsp/upstream-secrets") && Boolean.TRUE.equals(vm.getReadOnly())));
        assertTrue(m.named(Deployment.class, name("auth")).orElseThrow().getSpec().getTemplate().getSpec().getVolumes().stream()
                .noneMatch(v -> v.getName().equals("upstream-secrets")), "only routing sees provider credentials");
        // audit uses its own database role.
        assertTrue(m.named(Deployment.class, name("audit")).orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv().stream().anyMatch(e -> e.getName().equals("LGSP_DB_PASSWORD")
                        && e.getValueFrom().getSecretKeyRef().getName().equals("lgsp-db-audit")));
        ConfigMap dashboards = m.named(ConfigMap.class, "lgsp-dashboards").orElseThrow();
        assertEquals("1", dashboards.getMetadata().getLabels().get("grafana_dashboard"));
        assertTrue(dashboards.getData().get("lgsp-overview.json").contains("http_server_requests_seconds_count"));
    }

    @Test
    void routingAloneMountsTheProviderTlsSecretAndNamesItsFilesForQuarkusTlsRegistry() {
        Manifests m = rendered(ChartUnderTest.ciValues("production"));
        Map<String, String> data = m.named(ConfigMap.class, name("routing")).orElseThrow().getData();
        assertEquals("upstream", data.get("LGSP_ROUTING_UPSTREAM_TLS_CONFIGURATION_NAME"));
        assertEquals("/etc/lgsp/upstream-tls/ca.crt", data.get("QUARKUS_TLS__UPSTREAM__TRUST_STORE_PEM_CERTS"));
        assertEquals("/etc/lgsp/upstream-tls/tls.crt", data.get("QUARKUS_TLS__UPSTREAM__KEY_STORE_PEM__0__CERT"));
        assertEquals("/etc/lgsp/upstream-tls/tls.key", data.get("QUARKUS_TLS__UPSTREAM__KEY_STORE_PEM__0__KEY"));
        assertEquals("30m", data.get("QUARKUS_TLS__UPSTREAM__RELOAD_PERIOD"));
        PodSpec pod = m.named(Deployment.class, name("routing")).orElseThrow().getSpec().getTemplate().getSpec();
        var volume = pod.getVolumes().stream().filter(v -> v.getName().equals("upstream-tls")).findFirst().orElseThrow();
        assertEquals("lgsp-upstream-tls", volume.getSecret().getSecretName());
        assertEquals(List.of("ca.crt", "tls.crt", "tls.key"), volume.getSecret().getItems().stream().map(i -> i.getPath()).toList());
        assertTrue(pod.getContainers().get(0).getVolumeMounts().stream().anyMatch(vm -> vm.getName().equals("upstream-tls")
                && vm.getMountPath().equals("/etc/lgsp/upstream-tls") && Boolean.TRUE.equals(vm.getReadOnly())
                && vm.getSubPath() == null), "read-only, whole directory (a renewed Secret reaches the files)");
        for (String svc : SERVICES) {
            if (!svc.equals("routing")) {
                assertTrue(m.named(Deployment.class, name(svc)).orElseThrow().getSpec().getTemplate().getSpec().getVolumes()
                        .stream().noneMatch(v -> v.getName().equals("upstream-tls")), svc + " never sees routing's client key");
                assertFalse(m.named(ConfigMap.class, name(svc)).orElseThrow().getData().keySet().stream()
                        .anyMatch(k -> k.startsWith("QUARKUS_TLS__UPSTREAM")), svc);
            }
        }
        // By default: the JVM's CAs, nothing mounted, nothing configured.
        Manifests defaults = rendered(ChartUnderTest.ciValues("defaults"));
        assertFalse(defaults.named(ConfigMap.class, name("routing")).orElseThrow().getData()
                .containsKey("LGSP_ROUTING_UPSTREAM_TLS_CONFIGURATION_NAME"));
        assertTrue(defaults.named(Deployment.class, name("routing")).orElseThrow().getSpec().getTemplate().getSpec()
                .getVolumes().stream().noneMatch(v -> v.getName().equals("upstream-tls")));
    }

    @Test
    void singleSignOnProvidersReachAuthAloneUnderTheNamesItReads() {
        // The env names are those auth maps to lgsp.auth.identity-providers.<name>.* (auth's IdentityProviderEnvTest).
        Map<String, String> auth = rendered(ChartUnderTest.ciValues("production")).named(ConfigMap.class, name("auth"))
                .orElseThrow().getData();
        assertEquals("https://sso.example.gov.vn/realms/can-bo", auth.get("LGSP_AUTH_IDENTITY_PROVIDERS_TINH_ISSUER"));
        assertEquals("lgsp-admin", auth.get("LGSP_AUTH_IDENTITY_PROVIDERS_TINH_AUDIENCE"));
        assertFalse(auth.containsKey("LGSP_AUTH_IDENTITY_PROVIDERS_TINH_JWKS_URI"), "unset: discovery");
        assertEquals("https://vneid.example.gov.vn/keys", auth.get("LGSP_AUTH_IDENTITY_PROVIDERS_VNEID_JWKS_URI"));
        assertEquals("sub", auth.get("LGSP_AUTH_IDENTITY_PROVIDERS_VNEID_SUBJECT_CLAIM"));
        assertEquals("5m", auth.get("LGSP_AUTH_IDENTITY_PROVIDERS_VNEID_MAX_TOKEN_AGE"));
        Manifests m = rendered(ChartUnderTest.ciValues("production"));
        for (String svc : SERVICES) {
            if (!svc.equals("auth")) {
                assertFalse(m.named(ConfigMap.class, name(svc)).orElseThrow().getData().keySet().stream()
                        .anyMatch(k -> k.startsWith("LGSP_AUTH_IDENTITY_PROVIDERS_")), svc);
            }
        }
        assertFalse(rendered(ChartUnderTest.ciValues("defaults")).named(ConfigMap.class, name("auth")).orElseThrow()
                .getData().keySet().stream().anyMatch(k -> k.startsWith("LGSP_AUTH_IDENTITY_PROVIDERS_")), "none by default");
    }

    @Test
    void theHelmTestPodIsPinnedAndChecksRoutingReadiness() {
        Manifests m = rendered(ChartUnderTest.ciValues("defaults"));
        var pod = m.all(io.fabric8.kubernetes.api.model.Pod.class).get(0);
        assertEquals("test", Manifests.hook(pod));
        Container c = pod.getSpec().getContainers().get(0);
        assertTrue(c.getImage().matches(".+:[0-9]+\\.[0-9]+\\.[0-9]+(@sha256:[a-f0-9]{64})?"), "pinned test image: " + c.getImage());
        assertTrue(c.getArgs().contains("http://lgsp-routing:8080/q/health/ready"), c.getArgs().toString());
        assertTrue(c.getArgs().contains("--fail"), "a non-2xx answer fails the test");
    }

    @Test
    void nativeScenarioRunsTheMicroImageUser() {
        Manifests m = rendered(ChartUnderTest.ciValues("native"));
        for (String svc : SERVICES) {
            PodSpec pod = m.named(Deployment.class, name(svc)).orElseThrow().getSpec().getTemplate().getSpec();
            assertEquals(1001L, pod.getSecurityContext().getRunAsUser());
            assertTrue(pod.getContainers().get(0).getImage().endsWith(":0.1.0-native"));
        }
    }

    @Test
    void cloudNativePgScenarioWiresTheClusterSecretsAndMigratesInInitContainers() {
        Manifests m = rendered(ChartUnderTest.ciValues("cloudnativepg"));
        Manifests.CnpgCluster cluster = m.all(Manifests.CnpgCluster.class).get(0);
        assertEquals("lgsp-pg", cluster.metadata().getName());
        assertEquals(3, cluster.spec().instances());
        assertTrue(cluster.spec().imageName().matches(".+:[0-9]+\\.[0-9]+"), "pinned PostgreSQL image");
        for (String svc : SERVICES) {
            Map<String, String> data = m.named(ConfigMap.class, name(svc)).orElseThrow().getData();
            assertEquals("lgsp-pg-rw", data.get("LGSP_DB_HOST"));
            PodSpec pod = m.named(Deployment.class, name(svc)).orElseThrow().getSpec().getTemplate().getSpec();
            assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getSecret() != null && v.getSecret().getSecretName().equals("lgsp-pg-ca")));
            assertEquals("lgsp-pg-app", pod.getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals("LGSP_DB_PASSWORD"))
                    .findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName());
        }
        assertEquals(3, m.named(Deployment.class, name("registry")).orElseThrow().getSpec().getReplicas());
        assertEquals(2, m.named(PodDisruptionBudget.class, name("registry")).orElseThrow().getSpec().getMinAvailable().getIntVal());
        assertTrue(m.named(HorizontalPodAutoscaler.class, name("registry")).isEmpty());
        assertEquals(List.of(), m.all(Job.class));
    }
}
