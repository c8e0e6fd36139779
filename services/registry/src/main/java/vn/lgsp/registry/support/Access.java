package vn.lgsp.registry.support;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.registry.agency.repository.AgencyRepository;

/**
 * Who may see and change which agency's records: operators everything; an agency admin its own agency
 * and every agency below it in the hierarchy (computed from the tree on each call, so a re-parented
 * agency moves with its admin rights at once); auditors and platform services read.
 */
@ApplicationScoped
public class Access {

    @Inject
    AgencyRepository agencies;

    /** The agency codes the actor may read; {@code null} means all of them. */
    public Uni<Set<String>> readable(Actor actor) {
        if (actor.readsEverything()) {
            return Uni.createFrom().nullItem();
        }
        return adminTree(actor);
    }

    /** Fails with 403 unless the actor may read records of this agency. */
    public Uni<Void> requireRead(Actor actor, String agencyCode) {
        return readable(actor).map(codes -> {
            if (codes != null && !codes.contains(agencyCode)) {
                throw ProblemException.forbidden("You may not see records of agency " + agencyCode);
            }
            return null;
        });
    }

    /** Fails with 403 unless the actor may change records of this agency. */
    public Uni<Void> requireWrite(Actor actor, String agencyCode) {
        if (actor.isOperator()) {
            return Uni.createFrom().voidItem();
        }
        return adminTree(actor).map(codes -> {
            if (!codes.contains(agencyCode)) {
                throw ProblemException.forbidden("You may not act for agency " + agencyCode
                        + ": it is neither your agency nor one of its child agencies");
            }
            return null;
        });
    }

    private Uni<Set<String>> adminTree(Actor actor) {
        if (!actor.isAgencyAdmin()) {
            return Uni.createFrom().failure(ProblemException.forbidden("Your role does not allow this action"));
        }
        if (actor.agency() == null || actor.agency().isBlank()) {
            return Uni.createFrom().failure(ProblemException.forbidden("Your token names no agency"));
        }
        return agencies.subtree(actor.agency());
    }
}
