package vn.lgsp.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * k8s/ stays in step with the chart: k8s/base is exactly what the chart renders with k8s/chart-values.yaml
 * (object by object), and the example overlay only refers to files and objects that exist.
 * {@code ./mvnw verify -pl helm -Dlgsp.k8s.regenerate=true} rewrites k8s/base from the chart instead.
 */
class PlainManifestsTest {

    static final Path BASE = ChartUnderTest.K8S.resolve("base");
    static final Path OVERLAY = ChartUnderTest.K8S.resolve("overlays/example");
    /** Readable YAML for the generated files: quotes only where YAML needs them, long lines kept whole. */
    static final com.fasterxml.jackson.databind.ObjectMapper WRITER = new com.fasterxml.jackson.databind.ObjectMapper(
            com.fasterxml.jackson.dataformat.yaml.YAMLFactory.builder()
                    .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.SPLIT_LINES)
                    .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build());
    static final String HEADER = "# Generated from helm/lgsp with k8s/chart-values.yaml; do not edit.\n"
            + "# Regenerate: ./mvnw verify -pl helm -Dlgsp.k8s.regenerate=true\n";

    /** The chart's plain rendering, grouped into one file per service (and shared.yaml for the rest). */
    static Map<String, List<JsonNode>> renderedByFile() {
        String yaml = ChartUnderTest.render(ChartUnderTest.K8S.resolve("chart-values.yaml"));
        Manifests.parse(yaml); // typed and free of unknown fields, like every other rendering
        Map<String, List<JsonNode>> files = new TreeMap<>();
        for (JsonNode doc : Manifests.documents(yaml)) {
            String component = doc.path("metadata").path("labels").path("app.kubernetes.io/component").asText("shared");
            String file = ChartRenderingTest.SERVICES.contains(component) ? component + ".yaml" : "shared.yaml";
            files.computeIfAbsent(file, f -> new ArrayList<>()).add(doc);
        }
        files.values().forEach(l -> l.sort((a, b) -> key(a).compareTo(key(b))));
        return files;
    }

    static String key(JsonNode doc) {
        return doc.path("kind").asText() + "/" + doc.path("metadata").path("name").asText();
    }

    static Map<String, JsonNode> objects(Path dir) throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted().toList()) {
                for (JsonNode doc : Manifests.documents(Files.readString(f))) {
                    out.put(key(doc), doc);
                }
            }
        }
        return out;
    }

    @Test
    void theBaseIsWhatTheChartRenders() throws IOException {
        Map<String, List<JsonNode>> rendered = renderedByFile();
        if (Boolean.getBoolean("lgsp.k8s.regenerate")) {
            regenerate(rendered);
        }
        Map<String, JsonNode> expected = new TreeMap<>();
        rendered.values().forEach(l -> l.forEach(d -> expected.put(key(d), d)));
        Map<String, JsonNode> actual = objects(BASE);
        assertEquals(expected.keySet(), actual.keySet(), "k8s/base holds other objects than the chart renders: "
                + "run ./mvnw verify -pl helm -Dlgsp.k8s.regenerate=true");
        List<String> differ = expected.keySet().stream().filter(k -> !expected.get(k).equals(actual.get(k))).toList();
        assertEquals(List.of(), differ, "objects in k8s/base differ from the chart: regenerate (see k8s/README.md)");
        JsonNode kustomization = Manifests.YAML.readTree(BASE.resolve("kustomization.yaml").toFile());
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        assertEquals(rendered.keySet(), listed, "k8s/base/kustomization.yaml lists every file");
        // The plain manifests carry no Helm machinery.
        actual.values().forEach(o -> {
            assertFalse(o.toString().contains("helm.sh/") || o.toString().contains(ChartUnderTest.HOOK), key(o));
            assertFalse(o.path("kind").asText().equals("Job"), "no hook Jobs in plain manifests");
        });
    }

    private static void regenerate(Map<String, List<JsonNode>> rendered) throws IOException {
        Files.createDirectories(BASE);
        try (Stream<Path> old = Files.list(BASE)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.delete(p);
            }
        }
        for (Map.Entry<String, List<JsonNode>> e : rendered.entrySet()) {
            StringBuilder text = new StringBuilder(HEADER);
            for (JsonNode doc : e.getValue()) {
                text.append(WRITER.writeValueAsString(doc));
            }
            Files.writeString(BASE.resolve(e.getKey()), text.toString());
        }
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        k.put("kind", "Kustomization");
        k.put("resources", new ArrayList<>(rendered.keySet()));
        Files.writeString(BASE.resolve("kustomization.yaml"), HEADER + WRITER.writeValueAsString(k));
    }

    @Test
    void theBaseRunsMigrationsInInitContainersAndNamesTheOverlaysSecrets() throws IOException {
        Map<String, JsonNode> base = objects(BASE);
        for (String svc : ChartRenderingTest.SERVICES) {
            Deployment d = Manifests.YAML.treeToValue(base.get("Deployment/lgsp-" + svc), Deployment.class);
            assertTrue(d.getSpec().getTemplate().getSpec().getInitContainers().stream().anyMatch(c -> c.getName().equals("migrate")), svc);
        }
    }

    @Test
    void theExampleOverlayRefersOnlyToThingsThatExist() throws IOException {
        JsonNode k = Manifests.YAML.readTree(OVERLAY.resolve("kustomization.yaml").toFile());
        Map<String, JsonNode> base = objects(BASE);
        List<String> problems = new ArrayList<>();

        k.path("resources").forEach(r -> {
            Path dir = OVERLAY.resolve(r.asText()).normalize();
            if (!Files.isRegularFile(dir.resolve("kustomization.yaml"))) {
                problems.add("resource " + r.asText() + " is not a kustomization");
            }
        });
        for (JsonNode patch : k.path("patches")) {
            JsonNode target = patch.path("target");
            if (patch.has("path")) {
                Path file = OVERLAY.resolve(patch.path("path").asText());
                if (!Files.isRegularFile(file)) {
                    problems.add("patch " + file + " is missing");
                    continue;
                }
                if (target.isMissingNode()) {
                    for (JsonNode doc : Manifests.documents(Files.readString(file))) {
                        if (!base.containsKey(key(doc))) {
                            problems.add("patch " + file.getFileName() + " targets " + key(doc) + ", not in the base");
                        }
                    }
                }
            }
            if (!target.isMissingNode()) {
                long matched = base.values().stream().filter(o -> matchesTarget(o, target)).count();
                if (matched == 0) {
                    problems.add("patch target " + target + " matches nothing in the base");
                }
            }
        }
        Set<String> baseImages = base.values().stream().filter(o -> o.path("kind").asText().equals("Deployment"))
                .flatMap(o -> o.findValuesAsText("image").stream()).map(i -> i.replaceAll("[:@].*", ""))
                .collect(Collectors.toSet());
        k.path("images").forEach(i -> {
            if (!baseImages.contains(i.path("name").asText())) {
                problems.add("image " + i.path("name").asText() + " is not used in the base");
            }
        });
        Set<String> generated = new TreeSet<>();
        String gitignore = Files.exists(OVERLAY.resolve(".gitignore")) ? Files.readString(OVERLAY.resolve(".gitignore")) : "";
        for (JsonNode gen : k.path("secretGenerator")) {
            generated.add(gen.path("name").asText());
            List<String> sources = new ArrayList<>();
            gen.path("files").forEach(f -> sources.add(f.asText().replaceAll("^[^=]+=", "")));
            gen.path("envs").forEach(f -> sources.add(f.asText()));
            for (String src : sources) {
                String dir = src.contains("/") ? src.substring(0, src.indexOf('/') + 1) : src;
                if (!gitignore.lines().anyMatch(l -> l.trim().equals(dir) || l.trim().equals(src))) {
                    problems.add("secret source " + src + " is not git-ignored");
                }
            }
        }
        Set<String> referenced = new TreeSet<>();
        base.values().forEach(o -> o.findValues("secretKeyRef").forEach(ref -> referenced.add(ref.path("name").asText())));
        base.values().forEach(o -> o.findValues("secret").forEach(v -> referenced.add(v.path("secretName").asText())));
        assertEquals(referenced, generated, "the overlay generates exactly the Secrets the base reads");
        assertTrue(k.path("namespace").isTextual(), "the overlay sets a namespace");
        assertEquals(List.of(), problems);
    }

    private static boolean matchesTarget(JsonNode o, JsonNode target) {
        if (target.has("kind") && !target.path("kind").asText().equals(o.path("kind").asText())) {
            return false;
        }
        if (target.has("name") && !o.path("metadata").path("name").asText().matches(target.path("name").asText())) {
            return false;
        }
        if (target.has("labelSelector")) {
            for (String pair : target.path("labelSelector").asText().split(",")) {
                String[] kv = pair.split("=", 2);
                if (!kv[1].equals(o.path("metadata").path("labels").path(kv[0]).asText())) {
                    return false;
                }
            }
        }
        return true;
    }
}
