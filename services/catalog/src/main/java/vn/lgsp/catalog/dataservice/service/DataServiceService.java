package vn.lgsp.catalog.dataservice.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import vn.lgsp.catalog.client.RegistryClient;
import vn.lgsp.catalog.dataservice.domain.DataService;
import vn.lgsp.catalog.dataservice.domain.DataServiceRequest;
import vn.lgsp.catalog.dataservice.repository.DataServiceRepository;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.common.web.Etags;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.problem.Validation;

/** Creating and editing data services; the providing system is checked against registry first. */
@ApplicationScoped
public class DataServiceService {

    @Inject
    DataServiceRepository repository;

    @Inject
    RegistryClient registry;

    @Inject
    Pool pool;

    @Inject
    AdminAudit audit;

    @Inject
    ObjectMapper mapper;

    @Inject
    Validator validator;

    @Inject
    Clock clock;

    /**
     * Service codes that would collide with paths the gateway's Ingress sends elsewhere: /api/v1/exchanges goes to
     * routing's exchange API, so a service "api" could never be reached at /api/v1/exchanges/...
     */
    static final Set<String> RESERVED_CODES = Set.of("api");

    @WithSpan("catalog.service.create")
    public Uni<DataService> create(Actor actor, DataServiceRequest r) {
        actor.requireOperatorOr("publish a service for this agency", r.ownerAgencyCode());
        if (RESERVED_CODES.contains(r.code())) {
            throw ProblemException.field("code", "reserved", "'" + r.code() + "' is reserved: the gateway's host serves "
                    + "/" + r.code() + "/v1/... itself (routing's asynchronous exchange API)");
        }
        return verifyProvider(r)
                .chain(() -> pool.withTransaction(conn -> repository.insert(conn, r, clock.instant()).chain(inserted -> {
                    if (!inserted) {
                        throw ProblemException.duplicate("code", "A data service with code " + r.code() + " already exists");
                    }
                    return repository.find(conn, r.code(), false);
                })))
                .invoke(created -> audit.record(actor.name(), "data-service.create", "data-service", created.code(),
                        created.ownerAgencyCode(), null, created));
    }

    /** Full replace (PUT) or the result of a merge patch; {@code ifMatch} guards against lost updates. */
    @WithSpan("catalog.service.update")
    public Uni<DataService> update(Actor actor, String code, String ifMatch, java.util.function.Function<DataService, DataServiceRequest> change) {
        return repository.find(code).chain(current -> {
            if (current == null) {
                throw ProblemException.notFound("Data service " + code);
            }
            actor.requireOperatorOr("change this service", current.ownerAgencyCode());
            Etags.require(ifMatch, current.rowVersion());
            int expected = current.rowVersion();
            DataServiceRequest next = change.apply(current);
            if (!code.equals(next.code())) {
                throw FieldErrors.of(ProblemType.VALIDATION, "code", "immutable", "The code of a service cannot change");
            }
            validate(next);
            if (!next.ownerAgencyCode().equals(current.ownerAgencyCode())) {
                actor.requireOperatorOr("move this service to another agency", next.ownerAgencyCode());
            }
            boolean providerChanged = !next.providerSystemCode().equals(current.providerSystemCode())
                    || !next.ownerAgencyCode().equals(current.ownerAgencyCode());
            Uni<Void> check = providerChanged ? verifyProvider(next) : Uni.createFrom().voidItem();
            return check.chain(() -> pool.withTransaction(conn -> repository.update(conn, next, expected, clock.instant())
                    .chain(updated -> {
                        if (!updated) {
                            throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                                    "The service changed while you were editing it; read it again and retry");
                        }
                        return repository.find(conn, code, false);
                    })))
                    .invoke(after -> audit.record(actor.name(), "data-service.update", "data-service", code,
                            after.ownerAgencyCode(), current, after));
        });
    }

    /** RFC 7386 JSON merge patch over the editable fields. */
    public DataServiceRequest merge(DataService current, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new ProblemException(ProblemType.MALFORMED_BODY, "A merge patch must be a JSON object");
        }
        ObjectNode base = mapper.valueToTree(current.toRequest());
        mergeInto(base, (ObjectNode) patch);
        try {
            return mapper.treeToValue(base, DataServiceRequest.class);
        } catch (JsonProcessingException e) {
            throw new PatchUnreadable(e);
        }
    }

    /** Carries Jackson's error to the REST layer, whose mappers name the field. */
    public static final class PatchUnreadable extends RuntimeException {
        public PatchUnreadable(JsonProcessingException cause) {
            super(cause);
        }

        public JsonProcessingException json() {
            return (JsonProcessingException) getCause();
        }
    }

    private static void mergeInto(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                target.remove(e.getKey());
            } else if (value.isObject() && target.get(e.getKey()) instanceof ObjectNode existing) {
                mergeInto(existing, (ObjectNode) value);
            } else {
                target.set(e.getKey(), value);
            }
        }
    }

    private void validate(DataServiceRequest r) {
        // Wrapped so field paths read "contact.email", the same as for a request body.
        Validation.check(validator, new Body(r));
    }

    record Body(@Valid DataServiceRequest body) {
    }

    /** The providing system must be registered, usable, and belong to the owner agency. */
    private Uni<Void> verifyProvider(DataServiceRequest r) {
        return registry.requireSystem(r.providerSystemCode(), "providerSystemCode").invoke(system -> {
            if (!Objects.equals(system.agencyCode(), r.ownerAgencyCode())) {
                throw FieldErrors.of(ProblemType.UNPROCESSABLE, "providerSystemCode", "ownedByAgency",
                        "System " + r.providerSystemCode() + " belongs to agency " + system.agencyCode() + ", not to "
                                + r.ownerAgencyCode());
            }
        }).replaceWithVoid();
    }
}
