package vn.lgsp.catalog.system.domain;

/** What catalog moved: zeros when it already knew, or never heard of the system. */
public record AgencyChangeResult(String systemCode, String agencyCode, int servicesUpdated, int subscriptionsUpdated) {
}
