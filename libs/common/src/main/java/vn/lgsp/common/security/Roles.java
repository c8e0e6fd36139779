package vn.lgsp.common.security;

/**
 * Role names carried in the {@code groups} claim of every JWT the platform issues, and the claims
 * that scope them. The vocabulary of ARCHITECTURE.md's security model.
 */
public final class Roles {

    /** The provincial department that runs the platform: sees and changes everything. */
    public static final String OPERATOR = "operator";
    /** Administers one agency (the {@value #AGENCY_CLAIM} claim) and its child agencies. */
    public static final String AGENCY_ADMIN = "agency-admin";
    /** Reads everything, changes nothing. */
    public static final String AUDITOR = "auditor";
    /** Another platform service calling with its own client credentials. */
    public static final String SERVICE = "service";
    /** An agency information system calling the data plane. */
    public static final String SYSTEM = "system";

    /** The agency code an agency admin or a system belongs to. */
    public static final String AGENCY_CLAIM = "agency";
    /** The environment (test or production) a system token is valid in. */
    public static final String ENVIRONMENT_CLAIM = "env";
    /** The consumer key a system token was issued for, so a revoked credential can be refused. */
    public static final String CLIENT_ID_CLAIM = "client_id";
    /** Prefix of the subject of service tokens, e.g. {@code service:routing}. */
    public static final String SERVICE_SUBJECT_PREFIX = "service:";

    private Roles() {
    }
}
