package vn.lgsp.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every value is commented in values.yaml and listed in the chart README; the five services stay alike. */
class DocumentationTest {

    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):(.*)$");
    private static final Set<String> SERVICES = Set.of("routing", "registry", "auth", "catalog", "audit");

    /** The documented units: the nearest commented key above each leaf (the leaf itself or an ancestor). */
    static Set<String> documentedUnits(List<String> missing) throws IOException {
        List<String> lines = Files.readAllLines(ChartUnderTest.CHART.resolve("values.yaml"));
        Deque<String[]> stack = new ArrayDeque<>(); // {indent, key, commentedPath-or-empty}
        Set<String> units = new TreeSet<>();
        int listIndent = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            if (listIndent >= 0 && indent > listIndent) {
                continue; // inside a block list of a leaf (e.g. ipBlocks entries)
            }
            listIndent = -1;
            Matcher m = KEY.matcher(line);
            if (!m.matches()) {
                continue;
            }
            while (!stack.isEmpty() && Integer.parseInt(stack.peek()[0]) >= indent) {
                stack.pop();
            }
            String path = (stack.isEmpty() ? "" : stack.peek()[1] + ".") + m.group(2);
            boolean commented = i > 0 && lines.get(i - 1).trim().startsWith("#");
            String unit = commented ? path : (stack.isEmpty() ? "" : stack.peek()[2]);
            String rest = m.group(3).trim();
            String next = nextContent(lines, i);
            boolean blockList = rest.isEmpty() && next != null && next.trim().startsWith("- ");
            boolean leaf = !rest.isEmpty() || blockList;
            if (leaf) {
                if (unit.isEmpty()) {
                    missing.add(path);
                } else {
                    units.add(unit);
                }
                if (blockList) {
                    listIndent = indent;
                }
            } else {
                stack.push(new String[] {String.valueOf(indent), path, unit});
            }
        }
        return units;
    }

    private static String nextContent(List<String> lines, int i) {
        for (int j = i + 1; j < lines.size(); j++) {
            if (!lines.get(j).isBlank() && !lines.get(j).trim().startsWith("#")) {
                return lines.get(j);
            }
        }
        return null;
    }

    @Test
    void everyValueIsCommentedAndListedInTheReadme() throws IOException {
        List<String> uncommented = new ArrayList<>();
        Set<String> units = documentedUnits(uncommented);
        assertEquals(List.of(), uncommented, "values without a comment (on them or on their parent)");
        assertTrue(units.size() > 80, "found " + units.size() + " documented values");
        String readme = Files.readString(ChartUnderTest.CHART.resolve("README.md"));
        List<String> notInReadme = new ArrayList<>();
        for (String unit : units) {
            String first = unit.contains(".") ? unit.substring(0, unit.indexOf('.')) : unit;
            String generic = SERVICES.contains(first) ? "<service>" + unit.substring(first.length()) : unit;
            if (!readme.contains("`" + unit + "`") && !readme.contains("`" + generic + "`")) {
                notInReadme.add(unit);
            }
        }
        assertEquals(List.of(), notInReadme, "values missing from helm/lgsp/README.md");
    }

    @Test
    void theFiveServiceBlocksAreShapedAlike() throws IOException {
        JsonNode values = ChartUnderTest.YAML.readTree(ChartUnderTest.CHART.resolve("values.yaml").toFile());
        Set<String> routing = paths(values.get("routing"), "");
        for (String svc : SERVICES) {
            assertEquals(routing, paths(values.get(svc), ""), svc + " has the same keys as routing");
        }
        for (String svc : SERVICES) {
            assertEquals(75, values.at("/" + svc + "/autoscaling/targetCPUUtilizationPercentage").asInt());
            assertTrue(Files.isDirectory(ChartUnderTest.CHART.resolve("templates").resolve(svc)), svc + " template folder");
            try (var files = Files.list(ChartUnderTest.CHART.resolve("templates").resolve(svc))) {
                assertEquals(Set.of("configmap.yaml", "deployment.yaml", "hpa.yaml", "ingress.yaml", "migration-job.yaml",
                        "networkpolicy.yaml", "pdb.yaml", "service.yaml", "serviceaccount.yaml", "servicemonitor.yaml"),
                        new TreeSet<>(files.map(p -> p.getFileName().toString()).toList()), svc + " template files");
            }
        }
    }

    private static Set<String> paths(JsonNode node, String prefix) {
        Set<String> out = new TreeSet<>();
        if (node.isObject() && node.size() > 0 && !prefix.endsWith("config") && !prefix.endsWith("annotations")) {
            node.fields().forEachRemaining(e -> out.addAll(paths(e.getValue(), prefix + "/" + e.getKey())));
        } else {
            out.add(prefix);
        }
        return out;
    }

    @Test
    void imageTagsFollowTheChartAppVersion() throws IOException {
        JsonNode chart = ChartUnderTest.YAML.readTree(ChartUnderTest.CHART.resolve("Chart.yaml").toFile());
        JsonNode values = ChartUnderTest.YAML.readTree(ChartUnderTest.CHART.resolve("values.yaml").toFile());
        for (String svc : SERVICES) {
            assertEquals(chart.get("appVersion").asText(), values.at("/" + svc + "/image/tag").asText(), svc);
        }
    }

    @Test
    void theDashboardIsGrafanaJsonOverTheMetricsTheServicesExpose() throws IOException {
        JsonNode dash = ChartUnderTest.YAML.readTree(ChartUnderTest.CHART.resolve("dashboards/lgsp-overview.json").toFile());
        assertEquals("lgsp-overview", dash.get("uid").asText());
        String exprs = dash.findValuesAsText("expr").toString();
        // Metric names as Quarkus Micrometer (Prometheus registry) and kube-state-metrics publish them.
        for (String metric : List.of("http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
                "jvm_memory_used_bytes", "jvm_memory_max_bytes", "kube_horizontalpodautoscaler_status_current_replicas",
                "container_cpu_usage_seconds_total", "process_cpu_usage")) {
            assertTrue(exprs.contains(metric), metric);
        }
        assertTrue(exprs.contains("histogram_quantile(0.99"), "p99 latency");
        assertTrue(exprs.contains("status=~\\\"5..\\\"") || exprs.contains("status=~\"5..\""), "errors");
        for (JsonNode panel : dash.get("panels")) {
            assertTrue(panel.has("gridPos") && panel.path("targets").size() > 0, panel.path("title").asText());
        }
    }

    @Test
    void everyServiceHasJvmAndNativeDockerfilesRunningAsNonRoot() throws IOException {
        Path services = ChartUnderTest.CHART.getParent().getParent().resolve("services");
        for (String svc : SERVICES) {
            Path docker = services.resolve(svc).resolve("src/main/docker");
            String jvm = Files.readString(docker.resolve("Dockerfile.jvm"));
            assertTrue(jvm.contains("FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:"), svc + " JVM base image pinned");
            assertTrue(jvm.contains("USER 185"), svc + " JVM image user");
            assertTrue(jvm.contains("EXPOSE 808"), svc);
            String nat = Files.readString(docker.resolve("Dockerfile.native"));
            assertTrue(nat.contains("FROM quay.io/quarkus/quarkus-micro-image:2.0"), svc + " native base image");
            assertTrue(nat.contains("USER 1001"), svc + " native image user");
        }
    }
}
