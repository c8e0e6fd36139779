package vn.lgsp.audit.evaluation.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How agencies' sharing activity is scored and ranked (Lào Cai Art. 25, REQUIREMENTS M7). Pure arithmetic over the
 * measured {@link Indicators} and the assessments, so it is tested without a database and reads as the method the
 * operator publishes alongside the results.
 *
 * <p>Seven criteria, those of Art. 25.2. Each is the mean of its components, on 0..100:
 * <ul>
 * <li>{@value #ASSESSMENT}: the assessed score, {@code share × self + (100 − share) × operator} / 100 (Art. 25.3.b:
 * self-assessment combined with the state body's); a missing self-assessment counts 0;</li>
 * <li>a measured indicator from the monitoring data (Art. 25.3.c), scored against the province: counts relative to
 * the best evaluated agency (call volumes on a log scale, so one very busy service does not flatten everyone else),
 * rates as percentages.</li>
 * </ul>
 * A component without data (a rate with nothing to divide, an assessment the operator has not made yet) is left out of
 * its criterion's mean; a criterion with no component left scores 0. The total is the weighted sum (weights add up to
 * 100), rounded to two decimals; agencies with equal totals share a rank (1, 2, 2, 4), listed by agency code.
 */
public final class EvaluationMethod {

    /** The component standing for the combined self- and operator assessment of a criterion. */
    public static final String ASSESSMENT = "assessment";

    /** One criterion of Art. 25.2: its code, article, default weight and components. */
    public record Criterion(String code, String article, String title, int defaultWeight, List<String> components) {

        public boolean assessed() {
            return components.contains(ASSESSMENT);
        }
    }

    public static final List<Criterion> CRITERIA = List.of(
            new Criterion("completeness", "25.2.a", "Completeness of the agency's databases and information systems", 10,
                    List.of(ASSESSMENT)),
            new Criterion("standardisation", "25.2.b", "Share of its data standardised and updated fully and on time", 10,
                    List.of(ASSESSMENT)),
            new Criterion("sharing", "25.2.c", "Connection and sharing of its data with other agencies through the platform",
                    20, List.of("consumerAgenciesServed", "callsServed", "availability")),
            new Criterion("integration", "25.2.d", "Integration and use of other agencies' data through the platform", 20,
                    List.of("providerAgenciesUsed", "servicesUsed", "callsMade")),
            new Criterion("quality", "25.2.đ", "Data quality by the criteria of Art. 22", 15, List.of(ASSESSMENT)),
            new Criterion("security", "25.2.e", "Information security and data protection", 15,
                    List.of(ASSESSMENT, "compliance")),
            new Criterion("effectiveness", "25.2.g",
                    "Effectiveness of the data for state management, public services and direction", 10, List.of(ASSESSMENT)));

    /** The criteria that take an assessed score: what a self-assessment and the operator's assessment give. */
    public static final List<String> ASSESSED = CRITERIA.stream().filter(Criterion::assessed).map(Criterion::code).toList();

    /** Grades by total: excellent ≥ 90, good ≥ 70, fair ≥ 50, weak below. */
    public static String grade(BigDecimal total) {
        double t = total.doubleValue();
        return t >= 90 ? "excellent" : t >= 70 ? "good" : t >= 50 ? "fair" : "weak";
    }

    public static Map<String, Integer> defaultWeights() {
        Map<String, Integer> w = new LinkedHashMap<>();
        CRITERIA.forEach(c -> w.put(c.code(), c.defaultWeight()));
        return w;
    }

    /**
     * What the monitoring data says about one agency over the period (self-calls excluded throughout). The two rates
     * are written out for readers and derived again when a published ranking is read back.
     */
    @JsonIgnoreProperties(value = { "availability", "compliance" }, allowGetters = true)
    public record Indicators(long callsServed, long failedServed, long consumerAgenciesServed, long servicesProvided,
            long callsMade, long violations, long providerAgenciesUsed, long servicesUsed) {

        public static final Indicators NONE = new Indicators(0, 0, 0, 0, 0, 0, 0, 0);

        /** Share of calls to its services not failed by the provider (5xx other than planned or platform ones). */
        @JsonProperty("availability")
        public Double availability() {
            return callsServed == 0 ? null : 1.0 - (double) failedServed / callsServed;
        }

        /** Share of its calls not refused for lack of permission or over its agreed rate and quota. */
        @JsonProperty("compliance")
        public Double compliance() {
            return callsMade == 0 ? null : 1.0 - (double) violations / callsMade;
        }
    }

    /** Assessed scores per criterion code (0..100), as one party gave them. */
    public record Scores(Map<String, Double> byCriterion) {
    }

    /** One agency's inputs. */
    public record Input(String agency, Indicators indicators, Scores self, Scores operator) {
    }

    /** One agency's outcome: rank, total, grade, criterion scores and the component scores behind them. */
    public record Result(int rank, String agency, BigDecimal total, String grade, Map<String, BigDecimal> criteria,
            Map<String, BigDecimal> components, Indicators indicators) {
    }

    private EvaluationMethod() {
    }

    /**
     * Scores and ranks every agency. {@code weights} holds every criterion (validated by the caller), {@code
     * selfShare} is 0..100.
     */
    public static List<Result> rank(List<Input> inputs, Map<String, Integer> weights, int selfShare) {
        long maxConsumers = 0, maxServed = 0, maxProviders = 0, maxServices = 0, maxMade = 0;
        for (Input in : inputs) {
            Indicators i = in.indicators();
            maxConsumers = Math.max(maxConsumers, i.consumerAgenciesServed());
            maxServed = Math.max(maxServed, i.callsServed());
            maxProviders = Math.max(maxProviders, i.providerAgenciesUsed());
            maxServices = Math.max(maxServices, i.servicesUsed());
            maxMade = Math.max(maxMade, i.callsMade());
        }
        List<Result> unranked = new ArrayList<>();
        for (Input in : inputs) {
            Indicators i = in.indicators();
            Map<String, Double> component = new LinkedHashMap<>();
            component.put("consumerAgenciesServed", relative(i.consumerAgenciesServed(), maxConsumers));
            component.put("callsServed", relativeLog(i.callsServed(), maxServed));
            component.put("availability", percent(i.availability()));
            component.put("providerAgenciesUsed", relative(i.providerAgenciesUsed(), maxProviders));
            component.put("servicesUsed", relative(i.servicesUsed(), maxServices));
            component.put("callsMade", relativeLog(i.callsMade(), maxMade));
            component.put("compliance", percent(i.compliance()));
            Map<String, BigDecimal> criteria = new LinkedHashMap<>();
            Map<String, BigDecimal> components = new LinkedHashMap<>();
            double total = 0;
            for (Criterion c : CRITERIA) {
                double sum = 0;
                int n = 0;
                for (String name : c.components()) {
                    Double score = name.equals(ASSESSMENT) ? assessed(c.code(), in.self(), in.operator(), selfShare)
                            : component.get(name);
                    if (score != null) {
                        sum += score;
                        n++;
                        components.put(name.equals(ASSESSMENT) ? c.code() + ".assessment" : name, round(score));
                    }
                }
                double score = n == 0 ? 0 : sum / n;
                criteria.put(c.code(), round(score));
                total += weights.get(c.code()) * score / 100.0;
            }
            BigDecimal t = round(total);
            unranked.add(new Result(0, in.agency(), t, grade(t), criteria, components, i));
        }
        unranked.sort(Comparator.comparing(Result::total).reversed().thenComparing(Result::agency));
        List<Result> ranked = new ArrayList<>(unranked.size());
        for (int k = 0; k < unranked.size(); k++) {
            Result r = unranked.get(k);
            int rank = k > 0 && r.total().compareTo(unranked.get(k - 1).total()) == 0 ? ranked.get(k - 1).rank() : k + 1;
            ranked.add(new Result(rank, r.agency(), r.total(), r.grade(), r.criteria(), r.components(), r.indicators()));
        }
        return ranked;
    }

    /** The combined assessed score, or null while the operator has not assessed (the state body's part is missing). */
    static Double assessed(String criterion, Scores self, Scores operator, int selfShare) {
        if (operator == null) {
            return null;
        }
        double s = self == null ? 0 : self.byCriterion().getOrDefault(criterion, 0.0);
        double o = operator.byCriterion().getOrDefault(criterion, 0.0);
        return (selfShare * s + (100 - selfShare) * o) / 100.0;
    }

    static double relative(long value, long max) {
        return max == 0 ? 0 : 100.0 * value / max;
    }

    static double relativeLog(long value, long max) {
        return max == 0 ? 0 : 100.0 * Math.log1p(value) / Math.log1p(max);
    }

    private static Double percent(Double rate) {
        return rate == null ? null : 100.0 * rate;
    }

    static BigDecimal round(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
    }
}
