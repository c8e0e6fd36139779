package vn.lgsp.catalog.dataservice.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;

/** A data service as stored and shown. {@code rowVersion} is the ETag. */
public record DataService(
        String code,
        String name,
        String description,
        String ownerAgencyCode,
        String providerSystemCode,
        String category,
        DataClass dataClass,
        boolean personalData,
        String sharingScope,
        SharingMethod sharingMethod,
        String updateFrequency,
        List<String> formats,
        List<String> standards,
        Contact contact,
        Documentation documentation,
        Instant createdAt,
        Instant updatedAt,
        @JsonIgnore int rowVersion) {

    public String etag() {
        return vn.lgsp.common.web.Etags.of(rowVersion);
    }

    /** The editable part, as a request (the base of a merge patch). */
    public DataServiceRequest toRequest() {
        return new DataServiceRequest(code, name, description, ownerAgencyCode, providerSystemCode, category, dataClass,
                personalData, sharingScope, sharingMethod, updateFrequency, formats, standards, contact, documentation);
    }
}
