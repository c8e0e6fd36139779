package vn.lgsp.catalog.dataservice.domain;

import jakarta.validation.constraints.Size;

/** The documentation a provider must publish with a service (An Giang Art. 11.1.a). */
public record Documentation(
        @Size(max = 20000) String interfaceAndProtocols,
        @Size(max = 20000) String security,
        @Size(max = 20000) String capacity,
        @Size(max = 20000) String connectionProcedure,
        @Size(max = 20000) String dataQuality,
        @Size(max = 20000) String presentationRules) {
}
