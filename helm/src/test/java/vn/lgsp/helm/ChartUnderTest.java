package vn.lgsp.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The chart helm/lgsp rendered by a real Helm 3 engine (helm-java), as {@code helm template} and {@code helm lint
 * --strict} would. Rendering happens on a copy under target/ that differs in one way only: the hook annotation
 * {@code helm.sh/hook*} is renamed {@code lgsp.test/hook*}, because helm-java's template returns the release
 * manifest without hooks, and the migration Jobs and the test pod are hooks we want to check like the rest.
 * {@link #HOOK} is the renamed annotation the tests read.
 */
final class ChartUnderTest {

    static final String RELEASE = "lgsp";
    static final String NAMESPACE = "lgsp";
    static final String HOOK = "lgsp.test/hook";

    static final Path CHART = Path.of(System.getProperty("lgsp.chart.dir", "lgsp")).toAbsolutePath().normalize();
    static final Path K8S = Path.of(System.getProperty("lgsp.k8s.dir", "../k8s")).toAbsolutePath().normalize();
    static final Path WORK = Path.of(System.getProperty("lgsp.test.workdir", "target")).toAbsolutePath().resolve("chart-under-test");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();
    private static Path renderCopy;

    private ChartUnderTest() {
    }

    /** The values files a release is tested with: every ci/ scenario and the operator example. */
    static List<Path> scenarios() {
        try (Stream<Path> ci = Files.list(CHART.resolve("ci")); Stream<Path> ex = Files.list(CHART.resolve("examples"))) {
            return Stream.concat(ci, ex).filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path ciValues(String name) {
        return CHART.resolve("ci").resolve(name + "-values.yaml");
    }

    /** helm template with the values file and --set pairs; throws IllegalStateException with Helm's message. */
    static String render(Path valuesFile, Map<String, Object> sets) {
        String key = valuesFile + "|" + sets;
        String cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        TemplateCommand t = new Helm(renderCopy()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion("1.31.0");
        if (valuesFile != null) {
            t = t.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> e : sets.entrySet()) {
            t = t.set(e.getKey(), e.getValue());
        }
        String out = t.call();
        CACHE.put(key, out);
        return out;
    }

    static String render(Path valuesFile) {
        return render(valuesFile, Map.of());
    }

    /** The message Helm fails with, or null when rendering succeeds. */
    static String renderFailure(Path valuesFile, Map<String, Object> sets) {
        try {
            render(valuesFile, sets);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /**
     * helm lint --strict of the chart with a values file. helm-java's lint reads only the chart's values.yaml, so
     * the lint runs on a copy whose values.yaml is the chart's merged with the file the way Helm merges values
     * (maps merged key by key, everything else replaced).
     */
    static LintResult lint(Path valuesFile) {
        try {
            Path copy = WORK.resolve("lint").resolve(valuesFile.getFileName().toString().replace(".yaml", "")).resolve("lgsp");
            copyTree(CHART, copy);
            YAML.writeValue(copy.resolve("values.yaml").toFile(), values(valuesFile));
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values a scenario renders with: the chart's values.yaml merged with the file. */
    static JsonNode values(Path valuesFile) {
        try {
            JsonNode merged = YAML.readTree(CHART.resolve("values.yaml").toFile());
            merge((ObjectNode) merged, YAML.readTree(valuesFile.toFile()));
            return merged;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void merge(ObjectNode base, JsonNode over) {
        over.fields().forEachRemaining(e -> {
            JsonNode existing = base.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        });
    }

    private static synchronized Path renderCopy() {
        if (renderCopy == null) {
            try {
                Path copy = WORK.resolve("render").resolve("lgsp");
                copyTree(CHART, copy);
                try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String text = Files.readString(f);
                        if (text.contains("helm.sh/hook")) {
                            Files.writeString(f, text.replace("helm.sh/hook", HOOK));
                        }
                    }
                }
                renderCopy = copy;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return renderCopy;
    }

    static void copyTree(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> old = Files.walk(to)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static Map<String, Object> sets(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
