package vn.lgsp.audit.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lgsp.audit.evaluation.service.EvaluationMethod;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Indicators;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Input;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Result;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Scores;

/** The scoring arithmetic, worked by hand. */
class EvaluationMethodTest {

    static final Map<String, Integer> WEIGHTS = EvaluationMethod.defaultWeights();

    static Scores all(double v) {
        return new Scores(Map.of("completeness", v, "standardisation", v, "quality", v, "security", v, "effectiveness", v));
    }

    @Test
    void defaultWeightsCoverEveryCriterionAndAddUpTo100() {
        assertEquals(7, WEIGHTS.size());
        assertEquals(100, WEIGHTS.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(List.of("completeness", "standardisation", "quality", "security", "effectiveness"),
                EvaluationMethod.ASSESSED);
    }

    @Test
    void scoresAreRelativeToTheBestAgencyAndCombineSelfAndOperatorAssessments() {
        // A serves 3 agencies 999 calls with 9 provider failures and calls 2 providers' 4 services 99 times, 11 refused;
        // B serves 1 agency 9 calls, none failed, and calls nothing.
        Indicators a = new Indicators(999, 9, 3, 2, 99, 11, 2, 4);
        Indicators b = new Indicators(9, 0, 1, 1, 0, 0, 0, 0);
        List<Result> ranked = EvaluationMethod.rank(List.of(
                new Input("000.00.00.H02", b, all(100), all(50)),
                new Input("000.00.00.H01", a, all(80), all(60))), WEIGHTS, 30);

        Result ra = ranked.get(0);
        assertEquals("000.00.00.H01", ra.agency());
        assertEquals(1, ra.rank());
        // sharing = mean(100 (3 of max 3 agencies), 100 (log scale, the max), 99.0990... (1 - 9/999))
        assertEquals(new BigDecimal("99.70"), ra.criteria().get("sharing"));
        // integration = mean(100, 100, 100): A is the best consumer on every count
        assertEquals(new BigDecimal("100.00"), ra.criteria().get("integration"));
        // assessed = 0.3 × 80 + 0.7 × 60 = 66; security = mean(66, 100 × (1 - 11/99) = 88.888…) = 77.444…
        assertEquals(new BigDecimal("66.00"), ra.criteria().get("completeness"));
        assertEquals(new BigDecimal("77.44"), ra.criteria().get("security"));
        // total = (10+10+15+10) × 66 / 100 + 20 × 99.6996…/100 + 20 × 100/100 + 15 × 77.444…/100 = 81.2566…
        assertEquals(new BigDecimal("81.26"), ra.total());
        assertEquals("good", ra.grade());

        Result rb = ranked.get(1);
        assertEquals(2, rb.rank());
        // sharing = mean(33.33 (1 of 3), 100 × ln 10 / ln 1000 = 33.33, 100 (no failure))
        assertEquals(new BigDecimal("55.56"), rb.criteria().get("sharing"));
        // integration: nothing used, every count 0 of the max
        assertEquals(new BigDecimal("0.00"), rb.criteria().get("integration"));
        // security: no calls made, so compliance has no data and the criterion is the assessment alone, 0.3×100+0.7×50
        assertNull(rb.indicators().compliance());
        assertFalse(rb.components().containsKey("compliance"));
        assertEquals(new BigDecimal("65.00"), rb.criteria().get("security"));
        // total = 45 × 65 / 100 + 20 × 55.555…/100 + 0 + 15 × 65/100 = 50.1111…
        assertEquals(new BigDecimal("50.11"), rb.total());
        assertEquals("fair", rb.grade());
    }

    @Test
    void withoutTheOperatorsAssessmentAnAssessedCriterionHasNoComponentAndScoresZero() {
        Indicators busy = new Indicators(10, 0, 1, 1, 10, 0, 1, 1);
        Result r = EvaluationMethod.rank(List.of(new Input("000.00.00.H01", busy, all(100), null)), WEIGHTS, 30).get(0);
        assertEquals(new BigDecimal("0.00"), r.criteria().get("completeness"));
        // security falls back to compliance alone (100: nothing refused)
        assertEquals(new BigDecimal("100.00"), r.criteria().get("security"));
        // sharing and integration are 100 (the only agency is the best), security 100: 20 + 20 + 15
        assertEquals(new BigDecimal("55.00"), r.total());
    }

    @Test
    void aMissingSelfAssessmentCountsZeroForItsShare() {
        Result r = EvaluationMethod.rank(List.of(new Input("000.00.00.H01", Indicators.NONE, null, all(100))),
                WEIGHTS, 40).get(0);
        assertEquals(new BigDecimal("60.00"), r.criteria().get("quality"));
    }

    @Test
    void equalTotalsShareARankAndTheNextRankSkips() {
        Indicators same = new Indicators(5, 0, 1, 1, 5, 0, 1, 1);
        List<Result> ranked = EvaluationMethod.rank(List.of(
                new Input("000.00.00.H03", Indicators.NONE, all(0), all(0)),
                new Input("000.00.00.H02", same, all(50), all(50)),
                new Input("000.00.00.H01", same, all(50), all(50))), WEIGHTS, 30);
        assertEquals(List.of("000.00.00.H01", "000.00.00.H02", "000.00.00.H03"),
                ranked.stream().map(Result::agency).toList());
        assertEquals(List.of(1, 1, 3), ranked.stream().map(Result::rank).toList());
        assertEquals("weak", ranked.get(2).grade());
    }

    @Test
    void weightsDecideWhatCounts() {
        Map<String, Integer> onlySharing = Map.of("completeness", 0, "standardisation", 0, "sharing", 100,
                "integration", 0, "quality", 0, "security", 0, "effectiveness", 0);
        Indicators provider = new Indicators(100, 50, 2, 1, 0, 0, 0, 0);
        Result r = EvaluationMethod.rank(List.of(new Input("000.00.00.H01", provider, all(100), all(100))),
                onlySharing, 30).get(0);
        // mean(100, 100, 50)
        assertEquals(new BigDecimal("83.33"), r.total());
        assertEquals("excellent", EvaluationMethod.grade(new BigDecimal("90.00")));
    }
}
