package vn.lgsp.auth.oauth.service;

import vn.lgsp.auth.credential.domain.Credential;

/** A client that proved its identity: a platform service (by name) or an agency system (by its credential). */
public record AuthenticatedClient(String serviceName, Credential credential) {

    public static AuthenticatedClient service(String name) {
        return new AuthenticatedClient(name, null);
    }

    public static AuthenticatedClient system(Credential credential) {
        return new AuthenticatedClient(null, credential);
    }

    public boolean isService() {
        return serviceName != null;
    }

    public String clientId() {
        return isService() ? serviceName : credential.clientId();
    }
}
