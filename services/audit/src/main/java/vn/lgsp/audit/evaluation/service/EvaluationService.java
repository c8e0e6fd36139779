package vn.lgsp.audit.evaluation.service;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Criterion;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Indicators;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Input;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Result;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Scores;
import vn.lgsp.audit.integrity.service.ChainHash;
import vn.lgsp.audit.support.AdminLog;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.Db;
import vn.lgsp.common.id.AgencyCode;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.time.ProvinceCalendar;
import vn.lgsp.common.web.Etags;

/**
 * Periodic evaluation and ranking of agencies' sharing activity (Lào Cai Art. 25, REQUIREMENTS M7). The operator
 * opens an evaluation over a period and a set of agencies; each agency's admin files a self-assessment of the
 * criteria monitoring cannot measure, the operator files the state body's assessment, and the measured indicators
 * come from audit's own rollups. While a draft, the ranking is computed on every read (provisional); publishing
 * freezes it: the results are stored as the exact JSON text served from then on, and its SHA-256 goes into the
 * hash-chained admin log, so a published ranking cannot be changed unnoticed.
 */
@ApplicationScoped
public class EvaluationService {

    public static final String DRAFT = "draft";
    public static final String PUBLISHED = "published";
    public static final String SELF = "self";
    public static final String OPERATOR = "operator";
    static final int MAX_DAYS = 366;
    // Bounded so an evaluation's admin-log summary (every agency code) stays within a record's 16 KiB summary.
    static final int MAX_AGENCIES = 500;
    static final int DEFAULT_SELF_SHARE = 30;

    @Inject
    Db db;

    @Inject
    AuditClock clock;

    @Inject
    AdminLog adminLog;

    @Inject
    IndicatorQuery indicators;

    @Inject
    ObjectMapper mapper;

    /**
     * What an operator sends to open or replace an evaluation. Dates are strings so a wrong one is named as a field;
     * weights and the share are checked here for the same reason (a JSON 12.5 must not quietly become 12).
     */
    public record EvaluationRequest(String name, String from, String to, List<String> agencies, Map<String, Object> weights,
            Object selfAssessmentShare) {
    }

    /** What an agency (self-assessment) or the operator (assessment) sends: a 0..100 score per assessed criterion. */
    public record AssessmentRequest(Map<String, Object> scores, String note) {
    }

    public record Evaluation(UUID id, String name, LocalDate from, LocalDate to, List<String> agencies,
            Map<String, Integer> weights, int selfAssessmentShare, String state, int version, String createdBy,
            Instant createdAt, Instant updatedAt, String publishedBy, Instant publishedAt, String resultsSha256) {
    }

    public record Summary(UUID id, String name, LocalDate from, LocalDate to, String state, int agencies, int version,
            Instant publishedAt) {
    }

    public record Assessment(String agency, String source, Map<String, Double> scores, String note, String assessedBy,
            Instant assessedAt) {
    }

    /** One agency's line of the ranking, with the assessments it rests on. */
    public record Ranked(int rank, String agency, BigDecimal total, String grade, Map<String, BigDecimal> criteria,
            Map<String, BigDecimal> components, Indicators indicators, Assessment selfAssessment, Assessment assessment) {

        /** As published: the scores and who gave them, not the notes (evidence stays with the operator and the agency). */
        Ranked withoutNotes() {
            return new Ranked(rank, agency, total, grade, criteria, components, indicators, withoutNote(selfAssessment),
                    withoutNote(assessment));
        }

        private static Assessment withoutNote(Assessment a) {
            return a == null ? null : new Assessment(a.agency(), a.source(), a.scores(), null, a.assessedBy(), a.assessedAt());
        }
    }

    /**
     * An evaluation with its ranking. {@code provisional}: a draft's ranking, recomputed on each read; {@code
     * awaitingAssessment}: agencies the operator has not assessed yet (publishing needs none left). The evaluation's
     * own fields come first, at the top level, as in the answers to POST and PUT.
     */
    public record Report(@JsonUnwrapped Evaluation evaluation, List<Criterion> criteria, boolean provisional,
            List<String> awaitingAssessment, List<Ranked> results) {
    }

    public List<Summary> list() {
        List<Summary> out = new ArrayList<>();
        for (Row r : db.q("""
                SELECT id, name, period_from, period_to, state, cardinality(agencies) AS n, version, published_at
                FROM audit_evaluation ORDER BY period_to DESC, name""")) {
            out.add(new Summary(r.getUUID("id"), r.getString("name"), r.getLocalDate("period_from"),
                    r.getLocalDate("period_to"), r.getString("state"), r.getInteger("n"), r.getInteger("version"),
                    Db.instant(r, "published_at")));
        }
        return out;
    }

    public Evaluation find(UUID id) {
        for (Row r : db.q("SELECT *, weights::text AS weights_text FROM audit_evaluation WHERE id = $1", id)) {
            return map(r);
        }
        throw ProblemException.notFound("Evaluation " + id);
    }

    /** The evaluation and its ranking: computed now for a draft, as published otherwise. */
    public Report report(UUID id) {
        Evaluation e = find(id);
        if (PUBLISHED.equals(e.state())) {
            return new Report(e, EvaluationMethod.CRITERIA, false, List.of(),
                    read(frozen(id), new TypeReference<List<Ranked>>() { }));
        }
        Map<String, Assessment> self = assessments(id, SELF);
        Map<String, Assessment> operator = assessments(id, OPERATOR);
        Map<String, Indicators> measured = indicators.measure(e.from(), e.to(), e.agencies());
        List<Input> inputs = new ArrayList<>();
        List<String> awaiting = new ArrayList<>();
        for (String agency : e.agencies()) {
            inputs.add(new Input(agency, measured.get(agency), scores(self.get(agency)), scores(operator.get(agency))));
            if (!operator.containsKey(agency)) {
                awaiting.add(agency);
            }
        }
        List<Ranked> results = new ArrayList<>();
        for (Result r : EvaluationMethod.rank(inputs, e.weights(), e.selfAssessmentShare())) {
            results.add(new Ranked(r.rank(), r.agency(), r.total(), r.grade(), r.criteria(), r.components(),
                    r.indicators(), self.get(r.agency()), operator.get(r.agency())));
        }
        // Assessments count only where some assessed criterion weighs something.
        boolean needed = EvaluationMethod.ASSESSED.stream().anyMatch(c -> e.weights().get(c) > 0);
        return new Report(e, EvaluationMethod.CRITERIA, true, needed ? awaiting : List.of(), results);
    }

    /**
     * A published ranking exactly as it was frozen: the text whose SHA-256 is {@code resultsSha256} and is recorded in
     * the chained admin log. 409 for a draft (it has no fixed results yet).
     */
    public String publishedResults(UUID id) {
        Evaluation e = find(id);
        if (!PUBLISHED.equals(e.state())) {
            throw new ProblemException(ProblemType.CONFLICT, "Evaluation '" + e.name() + "' is a draft; its ranking is "
                    + "provisional until published (read it with GET /api/v1/evaluations/" + id + ")");
        }
        return frozen(id);
    }

    private String frozen(UUID id) {
        return db.q("SELECT results FROM audit_evaluation WHERE id = $1", id).iterator().next().getString("results");
    }

    public Evaluation create(String actor, EvaluationRequest req) {
        Instant now = clock.nowMicros();
        Evaluation v = validate(req, null, actor, now);
        if (db.q("SELECT 1 FROM audit_evaluation WHERE name = $1", v.name()).size() > 0) {
            throw ProblemException.duplicate("name", "An evaluation named '" + v.name() + "' already exists");
        }
        db.q("""
                INSERT INTO audit_evaluation (id, name, period_from, period_to, agencies, weights, self_assessment_share,
                  state, version, created_by, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, 1, $9, $10, $10)""",
                v.id(), v.name(), v.from(), v.to(), v.agencies().toArray(String[]::new), json(v.weights()),
                v.selfAssessmentShare(), DRAFT, actor, now);
        Evaluation saved = find(v.id());
        adminLog.record(actor, "evaluation.create", "evaluation", v.id().toString(), null, null, saved);
        return saved;
    }

    public Evaluation update(String actor, UUID id, String ifMatch, EvaluationRequest req) {
        Evaluation before = find(id);
        Etags.require(ifMatch, before.version());
        requireDraft(before, "changed");
        Evaluation v = validate(req, before, actor, clock.nowMicros());
        if (!v.name().equals(before.name()) && db.q("SELECT 1 FROM audit_evaluation WHERE name = $1", v.name()).size() > 0) {
            throw ProblemException.duplicate("name", "An evaluation named '" + v.name() + "' already exists");
        }
        db.tx(tx -> {
            if (tx.q("""
                    UPDATE audit_evaluation SET name = $2, period_from = $3, period_to = $4, agencies = $5,
                      weights = $6::text::jsonb, self_assessment_share = $7, updated_at = $8, version = version + 1
                    WHERE id = $1 AND version = $9 AND state = 'draft'""",
                    id, v.name(), v.from(), v.to(), v.agencies().toArray(String[]::new), json(v.weights()),
                    v.selfAssessmentShare(), v.updatedAt(), before.version()).rowCount() == 0) {
                throw changed();
            }
            // Assessments of agencies no longer evaluated go with them.
            tx.q("DELETE FROM audit_evaluation_assessment WHERE evaluation_id = $1 AND NOT (agency = ANY($2))", id,
                    v.agencies().toArray(String[]::new));
            return null;
        });
        Evaluation after = find(id);
        adminLog.record(actor, "evaluation.update", "evaluation", id.toString(), null, before, after);
        return after;
    }

    public void delete(String actor, UUID id, String ifMatch) {
        Evaluation before = find(id);
        Etags.check(ifMatch, before.version());
        requireDraft(before, "deleted");
        if (db.q("DELETE FROM audit_evaluation WHERE id = $1 AND version = $2 AND state = 'draft'", id, before.version())
                .rowCount() == 0) {
            throw changed();
        }
        adminLog.record(actor, "evaluation.delete", "evaluation", id.toString(), null, before, null);
    }

    /**
     * Files or replaces one party's assessment of one agency: {@code source} {@value #SELF} (the agency's admin) or
     * {@value #OPERATOR}. Any change makes the evaluation's ETag change, so a publish with the ETag read before it
     * fails: what is published is what the operator looked at.
     */
    public Assessment assess(String actor, UUID id, String agency, String source, AssessmentRequest req) {
        Evaluation e = find(id);
        requireDraft(e, "assessed");
        if (!e.agencies().contains(agency)) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "Agency " + agency + " is not evaluated in '" + e.name() + "'",
                    List.of(new FieldError("agency", "evaluated", "is not one of this evaluation's agencies")), Map.of());
        }
        Map<String, Double> scores = validateScores(req);
        String note = req.note() == null || req.note().isBlank() ? null : req.note().strip();
        Assessment before = assessments(id, source).get(agency);
        Instant now = clock.nowMicros();
        db.tx(tx -> {
            if (tx.q("UPDATE audit_evaluation SET version = version + 1, updated_at = $2 WHERE id = $1 AND state = 'draft'",
                    id, now).rowCount() == 0) {
                throw changed();
            }
            tx.q("""
                    INSERT INTO audit_evaluation_assessment (evaluation_id, agency, source, scores, note, assessed_by, assessed_at)
                    VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, $7)
                    ON CONFLICT (evaluation_id, agency, source) DO UPDATE SET scores = EXCLUDED.scores, note = EXCLUDED.note,
                      assessed_by = EXCLUDED.assessed_by, assessed_at = EXCLUDED.assessed_at""",
                    id, agency, source, json(scores), note, actor, now);
            return null;
        });
        Assessment after = assessments(id, source).get(agency);
        adminLog.record(actor, SELF.equals(source) ? "evaluation.self-assessment.put" : "evaluation.assessment.put",
                "evaluation", id.toString(), agency, before, after);
        return after;
    }

    /**
     * Freezes the ranking. Refused while the period is still running (its figures would still move), while an
     * evaluated agency awaits the operator's assessment, or when the evaluation changed since {@code ifMatch}.
     */
    public Evaluation publish(String actor, UUID id, String ifMatch) {
        Evaluation e = find(id);
        Etags.require(ifMatch, e.version());
        requireDraft(e, "published again");
        LocalDate today = ProvinceCalendar.dateOf(clock.now());
        if (!e.to().isBefore(today)) {
            throw new ProblemException(ProblemType.CONFLICT, "The period ends on " + e.to() + "; publish after it is over",
                    List.of(new FieldError("to", "ended", "the period must be over (before " + today + ") to publish")), Map.of());
        }
        Report report = report(id);
        if (!report.awaitingAssessment().isEmpty()) {
            List<FieldError> errors = report.awaitingAssessment().stream()
                    .map(a -> new FieldError("assessments." + a, "required", "the operator has not assessed " + a)).toList();
            throw new ProblemException(ProblemType.CONFLICT,
                    report.awaitingAssessment().size() + " agencies await the operator's assessment", errors, Map.of());
        }
        String results = json(report.results().stream().map(Ranked::withoutNotes).toList());
        String sha256 = ChainHash.sha256Hex(results);
        if (db.q("""
                UPDATE audit_evaluation SET state = 'published', results = $2, results_sha256 = $3, published_by = $4,
                  published_at = $5, updated_at = $5, version = version + 1
                WHERE id = $1 AND version = $6 AND state = 'draft'""",
                id, results, sha256, actor, clock.nowMicros(), e.version()).rowCount() == 0) {
            throw changed();
        }
        Evaluation after = find(id);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("state", PUBLISHED);
        summary.put("from", e.from().toString());
        summary.put("to", e.to().toString());
        summary.put("agencies", e.agencies().size());
        summary.put("resultsSha256", sha256);
        adminLog.record(actor, "evaluation.publish", "evaluation", id.toString(), null, Map.of("state", DRAFT), summary);
        return after;
    }

    private Map<String, Assessment> assessments(UUID id, String source) {
        Map<String, Assessment> out = new HashMap<>();
        for (Row r : db.q("""
                SELECT agency, source, scores::text AS scores, note, assessed_by, assessed_at
                FROM audit_evaluation_assessment WHERE evaluation_id = $1 AND source = $2""", id, source)) {
            out.put(r.getString("agency"), new Assessment(r.getString("agency"), r.getString("source"),
                    read(r.getString("scores"), new TypeReference<Map<String, Double>>() { }), r.getString("note"),
                    r.getString("assessed_by"), Db.instant(r, "assessed_at")));
        }
        return out;
    }

    private static Scores scores(Assessment a) {
        return a == null ? null : new Scores(a.scores());
    }

    private static void requireDraft(Evaluation e, String what) {
        if (!DRAFT.equals(e.state())) {
            throw new ProblemException(ProblemType.ILLEGAL_TRANSITION,
                    "Evaluation '" + e.name() + "' is published; it can no longer be " + what);
        }
    }

    private static ProblemException changed() {
        return new ProblemException(ProblemType.PRECONDITION_FAILED,
                "The evaluation changed while you were working on it; read it again and retry");
    }

    private Evaluation validate(EvaluationRequest r, Evaluation existing, String actor, Instant now) {
        if (r == null) {
            throw ProblemException.field("body", "notNull", "a JSON body describing the evaluation is required");
        }
        List<FieldError> errors = new ArrayList<>();
        String name = r.name() == null ? null : r.name().strip();
        if (name == null || name.isEmpty()) {
            errors.add(new FieldError("name", "notNull", "is required, e.g. 'Đánh giá năm 2026'"));
        } else if (name.length() > 128) {
            errors.add(new FieldError("name", "size", "must be at most 128 characters"));
        }
        LocalDate from = date(errors, "from", r.from());
        LocalDate to = date(errors, "to", r.to());
        if (from != null && to != null) {
            if (from.isAfter(to)) {
                errors.add(new FieldError("from", "notAfterTo", "'from' must not be after 'to'"));
            } else if (from.plusDays(MAX_DAYS - 1L).isBefore(to)) {
                errors.add(new FieldError("to", "maxRange", "an evaluation covers at most " + MAX_DAYS + " days (a year)"));
            }
        }
        List<String> agencies = r.agencies();
        if (agencies != null) {
            if (agencies.size() > MAX_AGENCIES) {
                errors.add(new FieldError("agencies", "size", "at most " + MAX_AGENCIES + " agencies"));
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < agencies.size() && i < MAX_AGENCIES; i++) {
                String a = agencies.get(i);
                if (a == null || !AgencyCode.isValid(a)) {
                    errors.add(new FieldError("agencies[" + i + "]", "pattern", AgencyCode.RULE_MESSAGE));
                } else if (!seen.add(a)) {
                    errors.add(new FieldError("agencies[" + i + "]", "unique", a + " is listed twice"));
                }
            }
        }
        Map<String, Integer> weights = weights(errors, r.weights());
        int share = DEFAULT_SELF_SHARE;
        if (r.selfAssessmentShare() != null) {
            if (r.selfAssessmentShare() instanceof Integer i && i >= 0 && i <= 100) {
                share = i;
            } else {
                errors.add(new FieldError("selfAssessmentShare", "range",
                        "a whole percentage 0..100: how much the agency's own score counts against the operator's"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION, "The evaluation is not valid", errors, Map.of());
        }
        if (agencies == null) {
            agencies = indicators.activeAgencies(from, to);
            if (agencies.isEmpty()) {
                throw new ProblemException(ProblemType.UNPROCESSABLE, "No agency had traffic between " + from + " and " + to,
                        List.of(new FieldError("agencies", "notEmpty",
                                "no agency had traffic in the period; list the agencies to evaluate")), Map.of());
            }
        } else if (agencies.isEmpty()) {
            throw ProblemException.field("agencies", "notEmpty", "list at least one agency, or leave it out for every "
                    + "agency with traffic in the period");
        }
        List<String> sorted = new ArrayList<>(agencies);
        sorted.sort(null);
        return new Evaluation(existing == null ? UUID.randomUUID() : existing.id(), name, from, to, sorted, weights, share,
                DRAFT, existing == null ? 1 : existing.version() + 1, existing == null ? actor : existing.createdBy(),
                existing == null ? now : existing.createdAt(), now, null, null, null);
    }

    private static LocalDate date(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "notNull", "is required (a date such as 2026-01-01)"));
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "format", "must be a date such as 2026-01-01"));
            return null;
        }
    }

    /** Every criterion's weight, a whole number 0..100, together 100; absent: the defaults. */
    private static Map<String, Integer> weights(List<FieldError> errors, Map<String, Object> given) {
        if (given == null) {
            return EvaluationMethod.defaultWeights();
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        int sum = 0;
        boolean complete = true;
        for (Criterion c : EvaluationMethod.CRITERIA) {
            Object w = given.get(c.code());
            if (w == null) {
                errors.add(new FieldError("weights." + c.code(), "notNull", "every criterion needs a weight (0 leaves it out)"));
                complete = false;
            } else if (w instanceof Integer i && i >= 0 && i <= 100) {
                out.put(c.code(), i);
                sum += i;
            } else {
                errors.add(new FieldError("weights." + c.code(), "range", "a whole number 0..100"));
                complete = false;
            }
        }
        for (String key : given.keySet()) {
            if (EvaluationMethod.CRITERIA.stream().noneMatch(c -> c.code().equals(key))) {
                errors.add(new FieldError("weights." + key, "unknown", "not a criterion; expected " + codes()));
                complete = false;
            }
        }
        if (complete && sum != 100) {
            errors.add(new FieldError("weights", "sum", "the weights add up to " + sum + "; they must add up to 100"));
        }
        return out;
    }

    private static Map<String, Double> validateScores(AssessmentRequest r) {
        if (r == null || r.scores() == null) {
            throw ProblemException.field("scores", "notNull", "a score 0..100 for each of " + EvaluationMethod.ASSESSED);
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, Double> out = new LinkedHashMap<>();
        for (String c : EvaluationMethod.ASSESSED) {
            Object s = r.scores().get(c);
            if (s == null) {
                errors.add(new FieldError("scores." + c, "notNull", "is required (0..100)"));
            } else if (s instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0
                    && n.doubleValue() <= 100) {
                out.put(c, n.doubleValue());
            } else {
                errors.add(new FieldError("scores." + c, "range", "a number 0..100"));
            }
        }
        for (String key : r.scores().keySet()) {
            if (!EvaluationMethod.ASSESSED.contains(key)) {
                errors.add(new FieldError("scores." + key, "unknown", "not an assessed criterion; expected "
                        + EvaluationMethod.ASSESSED + " (the others are measured)"));
            }
        }
        if (r.note() != null && r.note().length() > 2000) {
            errors.add(new FieldError("note", "size", "must be at most 2000 characters"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION, "The assessment is not valid", errors, Map.of());
        }
        return out;
    }

    private static List<String> codes() {
        return EvaluationMethod.CRITERIA.stream().map(Criterion::code).toList();
    }

    private Evaluation map(Row r) {
        String[] agencies = r.getArrayOfStrings("agencies");
        return new Evaluation(r.getUUID("id"), r.getString("name"), r.getLocalDate("period_from"),
                r.getLocalDate("period_to"), Arrays.asList(agencies),
                read(r.getString("weights_text"), new TypeReference<LinkedHashMap<String, Integer>>() { }),
                r.getInteger("self_assessment_share"), r.getString("state"), r.getInteger("version"),
                r.getString("created_by"), Db.instant(r, "created_at"), Db.instant(r, "updated_at"),
                r.getString("published_by"), Db.instant(r, "published_at"), r.getString("results_sha256"));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return mapper.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
