package vn.lgsp.helm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rendered YAML parsed into typed Kubernetes models (fabric8), refusing anything the models do not know: fabric8
 * keeps unknown fields in an {@code additionalProperties} catch-all instead of failing, so every parsed object is
 * walked and any non-empty catch-all, at any depth, is an error. Kinds without a fabric8 model (the CloudNativePG
 * Cluster) are read into the small typed model {@link CnpgCluster} with unknown fields failing.
 */
final class Manifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Map<String, Class<?>> TYPES = Map.ofEntries(
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Pod", Pod.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class),
            Map.entry("postgresql.cnpg.io/v1/Cluster", CnpgCluster.class));

    final List<Object> objects;
    final List<JsonNode> trees;

    private Manifests(List<Object> objects, List<JsonNode> trees) {
        this.objects = objects;
        this.trees = trees;
    }

    /** Parses every document; throws AssertionError naming the object and field on anything unknown. */
    static Manifests parse(String yaml) {
        List<Object> objects = new ArrayList<>();
        List<JsonNode> trees = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : documents(yaml)) {
            String apiVersion = doc.path("apiVersion").asText();
            String kind = doc.path("kind").asText();
            String where = kind + " " + doc.path("metadata").path("name").asText();
            Class<?> type = TYPES.get(apiVersion + "/" + kind);
            if (type == null) {
                problems.add(where + ": no typed model for " + apiVersion + "/" + kind);
                continue;
            }
            try {
                Object typed = (type == CnpgCluster.class ? STRICT : YAML).treeToValue(doc, type);
                unknownFields(typed, where, problems);
                objects.add(typed);
                trees.add(doc);
            } catch (IOException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Rendered objects do not fit the Kubernetes models:\n  " + String.join("\n  ", problems));
        }
        return new Manifests(objects, trees);
    }

    static List<JsonNode> documents(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    docs.add(n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** Adds a problem for every fabric8 object below {@code o} that kept fields it does not model. */
    static void unknownFields(Object o, String path, List<String> problems) {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
            return;
        }
        if (o instanceof Record r) {
            for (var component : r.getClass().getRecordComponents()) {
                try {
                    unknownFields(component.getAccessor().invoke(r), path + "." + component.getName(), problems);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    problems.add(path + "." + component.getName() + ": " + e);
                }
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                problems.add(path + "." + m.getName() + ": " + e.getCause());
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else if (value != null && !(value instanceof String) && !(value instanceof Number)
                    && !(value instanceof Boolean) && !(value instanceof Enum<?>)) {
                String name = m.getName().substring(3);
                unknownFields(value, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), problems);
            }
        }
    }

    <T> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    /** Every pod the release creates, as (owner description, template). */
    List<Map.Entry<String, PodTemplateSpec>> podTemplates() {
        List<Map.Entry<String, PodTemplateSpec>> out = new ArrayList<>();
        all(Deployment.class).forEach(d -> out.add(Map.entry("Deployment " + d.getMetadata().getName(), d.getSpec().getTemplate())));
        all(Job.class).forEach(j -> out.add(Map.entry("Job " + j.getMetadata().getName(), j.getSpec().getTemplate())));
        all(Pod.class).forEach(p -> out.add(Map.entry("Pod " + p.getMetadata().getName(),
                new PodTemplateSpec(p.getMetadata(), p.getSpec()))));
        return out;
    }

    /** The Helm hook of an object (renamed annotation, see ChartUnderTest), or null. */
    static String hook(HasMetadata o) {
        Map<String, String> a = o.getMetadata().getAnnotations();
        return a == null ? null : a.get(ChartUnderTest.HOOK);
    }

    /** The few fields of a CloudNativePG Cluster the chart renders; anything else fails parsing. */
    record CnpgCluster(String apiVersion, String kind, io.fabric8.kubernetes.api.model.ObjectMeta metadata, Spec spec) {
        record Spec(int instances, String imageName, String primaryUpdateStrategy, boolean enableSuperuserAccess,
                Bootstrap bootstrap, Postgresql postgresql, Storage storage,
                io.fabric8.kubernetes.api.model.ResourceRequirements resources, Affinity affinity) {
        }

        record Bootstrap(InitDb initdb) {
        }

        record InitDb(String database, String owner) {
        }

        record Postgresql(Map<String, String> parameters) {
        }

        record Storage(String size, String storageClass) {
        }

        record Affinity(boolean enablePodAntiAffinity, String topologyKey, String podAntiAffinityType) {
        }
    }
}
