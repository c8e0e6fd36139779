package vn.lgsp.auth.agency.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import vn.lgsp.auth.account.repository.AccountRepository;
import vn.lgsp.auth.credential.repository.CredentialRepository;
import vn.lgsp.auth.credential.repository.CredentialRepository.AgencyMove;

/** Agency changes registry reports, each applied in one transaction so a retry finds either all or nothing done. */
@ApplicationScoped
public class AgencyChangeRepository {

    @Inject
    Pool pool;

    public record Recoded(List<String> accounts, List<AgencyMove> credentials) {
    }

    public Uni<List<AgencyMove>> moveSystem(String systemCode, String agencyCode) {
        return pool.withTransaction(conn -> CredentialRepository.moveSystem(conn, systemCode, agencyCode));
    }

    public Uni<Recoded> recodeAgency(String oldCode, String newCode) {
        return pool.withTransaction(conn -> AccountRepository.recodeAgency(conn, oldCode, newCode)
                .chain(accounts -> CredentialRepository.recodeAgency(conn, oldCode, newCode)
                        .map(credentials -> new Recoded(accounts, credentials))));
    }
}
