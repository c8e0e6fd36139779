package vn.lgsp.catalog.version.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import vn.lgsp.catalog.feed.domain.Route;
import vn.lgsp.catalog.support.Sql;
import vn.lgsp.common.access.AccessRule;
import vn.lgsp.catalog.version.domain.BodyFormat;
import vn.lgsp.catalog.version.domain.RateLimit;
import vn.lgsp.catalog.version.domain.ServiceVersion;
import vn.lgsp.catalog.version.domain.UpstreamAuth;
import vn.lgsp.catalog.version.domain.Upstreams;
import vn.lgsp.catalog.version.domain.VersionStatus;

/** service_version and version_history. Writes take the caller's connection (its transaction). */
@ApplicationScoped
public class VersionRepository {

    @Inject
    Pool pool;

    @Inject
    ObjectMapper mapper;

    public Uni<ServiceVersion> find(SqlClient client, String code, String version, boolean forUpdate) {
        return client.preparedQuery("SELECT * FROM service_version WHERE service_code = $1 AND version = $2"
                + (forUpdate ? " FOR UPDATE" : "")).execute(Tuple.of(code, version))
                .map(rows -> rows.iterator().hasNext() ? map(rows.iterator().next()) : null);
    }

    public Uni<List<ServiceVersion>> list(String code) {
        return pool.preparedQuery("SELECT * FROM service_version WHERE service_code = $1 ORDER BY major")
                .execute(Tuple.of(code)).map(rows -> {
                    List<ServiceVersion> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r).withoutDocument()));
                    return out;
                });
    }

    /** All versions of a service, drafts included, inside the caller's transaction. */
    public Uni<List<ServiceVersion>> all(SqlClient client, String code) {
        return client.preparedQuery("SELECT * FROM service_version WHERE service_code = $1 ORDER BY major")
                .execute(Tuple.of(code)).map(rows -> {
                    List<ServiceVersion> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    public Uni<Boolean> insert(SqlClient client, ServiceVersion v) {
        return client.preparedQuery("""
                INSERT INTO service_version (service_code, version, major, status, upstream_test, upstream_production,
                  upstream_auth, timeout_ms, request_format, response_format, convert_format, max_request_bytes,
                  requests_per_second, burst, daily_quota, openapi, created_at, updated_at, max_connections, access_rules,
                  pipelining)
                VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17,$18,$19,$20)
                ON CONFLICT (service_code, version) DO NOTHING""")
                .execute(Tuple.from(new Object[] { v.serviceCode(), v.version(), v.major(), v.status().wire(),
                        v.upstreams().test(), v.upstreams().production(), Sql.jsonb(mapper, v.upstreamAuth()),
                        v.timeoutMs(), v.requestFormat().wire(), v.responseFormat().wire(), v.convert(),
                        v.maxRequestBytes(), v.rateLimit().requestsPerSecond(), v.rateLimit().burst(),
                        v.rateLimit().dailyQuota(), Sql.jsonb(mapper, v.openapi()), Sql.utc(v.createdAt()),
                        v.maxConnections(), Sql.jsonb(mapper, v.accessRules()), v.pipelining() }))
                .map(rs -> rs.rowCount() == 1);
    }

    /** Stores the lifecycle part of a version (status and its dates). */
    public Uni<Void> saveLifecycle(SqlClient client, ServiceVersion v) {
        return client.preparedQuery("""
                UPDATE service_version SET row_version = row_version + 1, status=$3, updated_at=$4, published_at=$5, deprecated_at=$6, sunset_at=$7,
                  retirement_notice_at=$8, retire_at=$9, retired_at=$10
                WHERE service_code=$1 AND version=$2""")
                .execute(Tuple.from(new Object[] { v.serviceCode(), v.version(), v.status().wire(), Sql.utc(v.updatedAt()),
                        Sql.utc(v.publishedAt()), Sql.utc(v.deprecatedAt()), Sql.utc(v.sunsetAt()),
                        Sql.utc(v.retirementNoticeAt()), Sql.utc(v.retireAt()), Sql.utc(v.retiredAt()) }))
                .replaceWithVoid();
    }

    /**
     * Stores an edited configuration if the row is still at {@code expectedRowVersion}; false when it moved on
     * (the caller holds the row lock, so this is a second guard, not the only one).
     */
    public Uni<Boolean> saveConfig(SqlClient client, ServiceVersion v, int expectedRowVersion) {
        return client.preparedQuery("""
                UPDATE service_version SET row_version = row_version + 1, upstream_test=$3, upstream_production=$4,
                  upstream_auth=$5, timeout_ms=$6, request_format=$7, response_format=$8, convert_format=$9,
                  max_request_bytes=$10, requests_per_second=$11, burst=$12, daily_quota=$13, openapi=$14, updated_at=$15,
                  max_connections=$17, access_rules=$18, pipelining=$19
                WHERE service_code=$1 AND version=$2 AND row_version=$16""")
                .execute(Tuple.from(new Object[] { v.serviceCode(), v.version(), v.upstreams().test(),
                        v.upstreams().production(), Sql.jsonb(mapper, v.upstreamAuth()), v.timeoutMs(),
                        v.requestFormat().wire(), v.responseFormat().wire(), v.convert(), v.maxRequestBytes(),
                        v.rateLimit().requestsPerSecond(), v.rateLimit().burst(), v.rateLimit().dailyQuota(),
                        Sql.jsonb(mapper, v.openapi()), Sql.utc(v.updatedAt()), expectedRowVersion,
                        v.maxConnections(), Sql.jsonb(mapper, v.accessRules()), v.pipelining() }))
                .map(rs -> rs.rowCount() == 1);
    }

    /** When the earliest newer major version still published was published; null if there is none. */
    public Uni<Instant> earliestNewerPublished(SqlClient client, String code, int major) {
        return client.preparedQuery("SELECT min(published_at) AS at FROM service_version "
                + "WHERE service_code = $1 AND major > $2 AND status = 'published'").execute(Tuple.of(code, major))
                .map(rs -> Sql.instant(rs.iterator().next(), "at"));
    }

    public Uni<Void> addHistory(SqlClient client, HistoryEntry h) {
        return client.preparedQuery("""
                INSERT INTO version_history (service_code, version, action, from_status, to_status, actor, occurred_at,
                  comment, sunset_at, retire_at, changed_fields) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)""")
                .execute(Tuple.from(new Object[] { h.serviceCode(), h.version(), h.action(), h.from(), h.to(), h.actor(),
                        Sql.utc(h.at()), h.comment(), Sql.utc(h.sunsetAt()), Sql.utc(h.retireAt()),
                        Sql.jsonb(mapper, h.changedFields()) }))
                .replaceWithVoid();
    }

    public Uni<List<HistoryEntry>> history(String code, String version) {
        return pool.preparedQuery("SELECT * FROM version_history WHERE service_code = $1 AND version = $2 ORDER BY id")
                .execute(Tuple.of(code, version)).map(rows -> {
                    List<HistoryEntry> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new HistoryEntry(r.getString("service_code"), r.getString("version"), r.getString("action"),
                                r.getString("from_status"), r.getString("to_status"), r.getString("actor"),
                                Sql.instant(r, "occurred_at"), r.getString("comment"), Sql.instant(r, "sunset_at"),
                                Sql.instant(r, "retire_at"), Sql.strings(r.getValue("changed_fields"))));
                    }
                    return out;
                });
    }

    /** Every routable version (all but drafts) with its provider, for the snapshot. */
    public Uni<List<Route>> routes(SqlClient client) {
        return client.query("""
                SELECT v.*, s.provider_system, s.owner_agency FROM service_version v
                JOIN data_service s ON s.code = v.service_code
                WHERE v.status <> 'draft' ORDER BY v.service_code, v.major""").execute().map(rows -> {
                    List<Route> out = new ArrayList<>();
                    rows.forEach(r -> out.add(route(map(r), r.getString("provider_system"), r.getString("owner_agency"))));
                    return out;
                });
    }

    public Route route(ServiceVersion v, String providerSystem, String providerAgency) {
        return new Route(v.serviceCode(), v.version(), v.status().wire(), providerSystem, providerAgency,
                new Route.Upstreams(v.upstreams().test(), v.upstreams().production()), v.timeoutMs(), v.maxRequestBytes(),
                v.maxConnections(), v.pipelining(), v.deprecatedAt(), v.sunsetAt(), v.retiredAt(), v.publishedAt(), v.retireAt(),
                v.requestFormat().wire(), v.responseFormat().wire(), v.convert(), mapper.valueToTree(v.upstreamAuth()),
                v.accessRules());
    }

    public ServiceVersion map(Row r) {
        return new ServiceVersion(r.getString("service_code"), r.getString("version"), VersionStatus.of(r.getString("status")),
                new Upstreams(r.getString("upstream_test"), r.getString("upstream_production")),
                Sql.read(mapper, r.getValue("upstream_auth"), UpstreamAuth.class), r.getInteger("timeout_ms"),
                BodyFormat.valueOf(r.getString("request_format").toUpperCase()),
                BodyFormat.valueOf(r.getString("response_format").toUpperCase()), r.getBoolean("convert_format"),
                r.getLong("max_request_bytes"), r.getInteger("max_connections"), (int) r.getShort("pipelining"),
                new RateLimit(r.getInteger("requests_per_second"), r.getInteger("burst"), r.getLong("daily_quota")),
                accessRules(r), Sql.read(mapper, r.getValue("openapi"), JsonNode.class), Sql.instant(r, "created_at"),
                Sql.instant(r, "updated_at"), Sql.instant(r, "published_at"), Sql.instant(r, "deprecated_at"),
                Sql.instant(r, "sunset_at"), Sql.instant(r, "retirement_notice_at"), Sql.instant(r, "retire_at"),
                Sql.instant(r, "retired_at"), r.getInteger("row_version"));
    }

    private List<AccessRule> accessRules(Row r) {
        AccessRule[] rules = Sql.read(mapper, r.getValue("access_rules"), AccessRule[].class);
        return rules == null ? List.of() : List.of(rules);
    }

    /** One step of a version: a transition, a retirement notice, or an edit ({@code changedFields} says what). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record HistoryEntry(String serviceCode, String version, String action, String from, String to, String actor,
            Instant at, String comment, Instant sunsetAt, Instant retireAt, List<String> changedFields) {
    }
}
