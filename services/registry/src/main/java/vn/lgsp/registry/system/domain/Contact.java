package vn.lgsp.registry.system.domain;

import java.time.Instant;
import java.util.UUID;

/** A contact person (cán bộ đầu mối) answering for a system [AG 8.2, LC 20.6]. */
public record Contact(UUID id, String systemCode, String name, String position, String phone, String email, Instant createdAt) {
}
