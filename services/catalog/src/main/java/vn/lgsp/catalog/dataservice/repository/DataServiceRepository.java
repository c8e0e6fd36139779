package vn.lgsp.catalog.dataservice.repository;

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
import java.util.Map;
import vn.lgsp.catalog.dataservice.domain.Contact;
import vn.lgsp.catalog.dataservice.domain.DataClass;
import vn.lgsp.catalog.dataservice.domain.DataService;
import vn.lgsp.catalog.dataservice.domain.DataServiceRequest;
import vn.lgsp.catalog.dataservice.domain.Documentation;
import vn.lgsp.catalog.dataservice.domain.SharingMethod;
import vn.lgsp.catalog.support.Listing;
import vn.lgsp.catalog.support.Sql;
import vn.lgsp.common.paging.Page;

/** The data_service table through the reactive SQL client. Writes take the caller's connection (its transaction). */
@ApplicationScoped
public class DataServiceRepository {

    /** Sort keys a client may use, and the column each maps to (never interpolate client input). */
    public static final Map<String, String> SORTS = Map.of("code", "code", "name", "name", "createdAt", "created_at",
            "updatedAt", "updated_at", "ownerAgency", "owner_agency");

    @Inject
    Pool pool;

    @Inject
    ObjectMapper mapper;

    public Uni<DataService> find(SqlClient client, String code, boolean forUpdate) {
        return client.preparedQuery("SELECT * FROM data_service WHERE code = $1" + (forUpdate ? " FOR UPDATE" : ""))
                .execute(Tuple.of(code))
                .map(rows -> rows.iterator().hasNext() ? map(rows.iterator().next()) : null);
    }

    public Uni<DataService> find(String code) {
        return find(pool, code, false);
    }

    public Uni<Boolean> insert(SqlClient client, DataServiceRequest r, Instant now) {
        return client.preparedQuery("""
                INSERT INTO data_service (code, name, description, owner_agency, provider_system, category, data_class,
                  personal_data, sharing_scope, sharing_method, update_frequency, formats, standards, contact, documentation,
                  row_version, created_at, updated_at)
                VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,1,$16,$16)
                ON CONFLICT (code) DO NOTHING""")
                .execute(Tuple.from(values(r, Sql.utc(now)))).map(rs -> rs.rowCount() == 1);
    }

    /** Optimistic update: false when the row changed since {@code expectedVersion} was read. */
    public Uni<Boolean> update(SqlClient client, DataServiceRequest r, int expectedVersion, Instant now) {
        List<Object> v = new ArrayList<>(values(r, Sql.utc(now)));
        v.add(expectedVersion);
        return client.preparedQuery("""
                UPDATE data_service SET name=$2, description=$3, owner_agency=$4, provider_system=$5, category=$6,
                  data_class=$7, personal_data=$8, sharing_scope=$9, sharing_method=$10, update_frequency=$11, formats=$12,
                  standards=$13, contact=$14, documentation=$15, updated_at=$16, row_version = row_version + 1
                WHERE code = $1 AND row_version = $17""")
                .execute(Tuple.from(v)).map(rs -> rs.rowCount() == 1);
    }

    /**
     * Every service the system provides, locked, whatever its owner: the caller compares owners itself, so a
     * concurrent move that committed first is seen with its new owner instead of being skipped.
     */
    public Uni<List<DataService>> lockProvidedBy(SqlClient client, String systemCode) {
        return client.preparedQuery("SELECT * FROM data_service WHERE provider_system = $1 ORDER BY code FOR UPDATE")
                .execute(Tuple.of(systemCode)).map(rows -> {
                    List<DataService> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    /** Gives the services another owner; the row version moves so ETags held by editors go stale. */
    public Uni<Void> moveToAgency(SqlClient client, List<String> codes, String agencyCode, Instant now) {
        return client.preparedQuery("""
                UPDATE data_service SET owner_agency = $2, updated_at = $3, row_version = row_version + 1
                WHERE code = ANY($1)""")
                .execute(Tuple.of(codes.toArray(new String[0]), agencyCode, Sql.utc(now))).replaceWithVoid();
    }

    /** Filtered, sorted, paged list. */
    public Uni<Page<DataService>> list(Filter f, String sortColumn, boolean descending, int page, int size) {
        Listing listing = new Listing();
        if (f.q() != null && !f.q().isBlank()) {
            listing.with(Sql.likePattern(f.q().trim()), p -> "(code ILIKE " + p + " OR name ILIKE " + p
                    + " OR description ILIKE " + p + " OR category ILIKE " + p + ")");
        }
        listing.eq("data_class", f.dataClass()).eq("owner_agency", f.ownerAgency());
        if (f.versionStatus() != null) {
            listing.with(f.versionStatus(), p -> "EXISTS (SELECT 1 FROM service_version v"
                    + " WHERE v.service_code = data_service.code AND v.status = " + p + ")");
        }
        if (f.onlyShared()) {
            listing.with("EXISTS (SELECT 1 FROM service_version v WHERE v.service_code = data_service.code"
                    + " AND v.status IN ('published', 'deprecated'))");
        }
        listing.eq("personal_data", f.personalData());
        return listing.page(pool, "SELECT *", "data_service", sortColumn + (descending ? " DESC" : " ASC") + ", code ASC",
                page, size, this::map);
    }

    private List<Object> values(DataServiceRequest r, Object now) {
        List<Object> v = new ArrayList<>();
        v.add(r.code());
        v.add(r.name());
        v.add(r.description());
        v.add(r.ownerAgencyCode());
        v.add(r.providerSystemCode());
        v.add(r.category());
        v.add(r.dataClass().wire());
        v.add(r.personalData());
        v.add(r.sharingScope());
        v.add(r.sharingMethod().wire());
        v.add(r.updateFrequency());
        v.add(Sql.jsonb(mapper, r.formats() == null ? List.of() : r.formats()));
        v.add(Sql.jsonb(mapper, r.standards() == null ? List.of() : r.standards()));
        v.add(Sql.jsonb(mapper, r.contact()));
        v.add(Sql.jsonb(mapper, r.documentation()));
        v.add(now);
        return v;
    }

    public DataService map(Row r) {
        return new DataService(r.getString("code"), r.getString("name"), r.getString("description"),
                r.getString("owner_agency"), r.getString("provider_system"), r.getString("category"),
                DataClass.of(r.getString("data_class")), r.getBoolean("personal_data"), r.getString("sharing_scope"),
                SharingMethod.of(r.getString("sharing_method")), r.getString("update_frequency"),
                Sql.strings(r.getValue("formats")), Sql.strings(r.getValue("standards")),
                Sql.read(mapper, r.getValue("contact"), Contact.class),
                Sql.read(mapper, r.getValue("documentation"), Documentation.class),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"), r.getInteger("row_version"));
    }

    /** List filters; null means "any". */
    public record Filter(String q, String dataClass, String ownerAgency, String versionStatus, boolean onlyShared,
            Boolean personalData) {
    }
}
