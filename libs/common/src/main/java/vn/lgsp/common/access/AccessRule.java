package vn.lgsp.common.access;

import java.util.List;

/**
 * One rule of a service version: the operations it names require {@code level}. {@code methods} empty or null: every
 * method. {@code path} is a pattern of the path after {@code /{serviceCode}/{version}}: literal segments, {@code *} or
 * an OpenAPI template such as {@code {id}} for exactly one segment, and a final {@code **} for any number of them
 * ({@link AccessRules}).
 */
public record AccessRule(List<String> methods, String path, String level) {
}
