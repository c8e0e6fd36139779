package vn.lgsp.catalog.client;

import java.util.Set;

/** What catalog needs to know of an information system registered in registry. */
public record RegistrySystem(String code, String agencyCode, String status) {

    /** Registry statuses of a system that may no longer provide or consume. */
    private static final Set<String> UNUSABLE = Set.of("suspended", "revoked", "retired");

    public boolean usable() {
        return status == null || !UNUSABLE.contains(status);
    }
}
