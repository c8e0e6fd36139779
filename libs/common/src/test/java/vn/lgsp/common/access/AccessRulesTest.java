package vn.lgsp.common.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.problem.Problem.FieldError;

class AccessRulesTest {

    private static AccessRule rule(String path, String level, String... methods) {
        return new AccessRule(methods.length == 0 ? null : Arrays.asList(methods), path, level);
    }

    @Test
    void levelsAreOrderedAndReadFromTheirWireNames() {
        assertTrue(AccessLevel.SHARE.covers(AccessLevel.UPDATE));
        assertTrue(AccessLevel.USE.covers(AccessLevel.USE));
        assertFalse(AccessLevel.VIEW.covers(AccessLevel.USE));
        assertFalse(AccessLevel.UPDATE.covers(AccessLevel.SHARE));
        for (AccessLevel l : AccessLevel.values()) {
            assertEquals(l, AccessLevel.of(l.wire()));
            assertTrue(l.wire().matches(AccessLevel.PATTERN));
        }
        assertNull(AccessLevel.of("VIEW"));
        assertNull(AccessLevel.of("admin"));
        assertNull(AccessLevel.of(null));
        assertEquals(AccessLevel.UPDATE, AccessLevel.higher(AccessLevel.UPDATE, AccessLevel.VIEW));
        assertEquals(AccessLevel.SHARE, AccessLevel.higher(AccessLevel.USE, AccessLevel.SHARE));
    }

    @Test
    void withoutRulesTheMethodDecides() {
        AccessRules none = AccessRules.compile(List.of());
        assertTrue(none.isEmpty());
        assertEquals(AccessLevel.VIEW, none.required("GET", "/records/1"));
        assertEquals(AccessLevel.VIEW, none.required("HEAD", "/"));
        assertEquals(AccessLevel.VIEW, none.required("OPTIONS", ""));
        assertEquals(AccessLevel.USE, none.required("POST", "/lookup"));
        assertEquals(AccessLevel.UPDATE, none.required("PUT", "/records/1"));
        assertEquals(AccessLevel.UPDATE, none.required("PATCH", "/records/1"));
        assertEquals(AccessLevel.UPDATE, none.required("DELETE", "/records/1"));
        assertEquals(AccessLevel.UPDATE, none.required("PROPFIND", "/records"));
        assertEquals(AccessLevel.VIEW, AccessRules.compile(null).required("GET", "/x"));
    }

    @Test
    void theFirstMatchingRuleDecides() {
        AccessRules rules = AccessRules.compile(List.of(
                rule("/search", "view", "POST"),
                rule("/export/**", "share"),
                rule("/records/{id}/history", "use", "GET"),
                rule("/records/*", "update", "POST"),
                rule("/records/**", "use", "GET"),
                rule("/", "use", "GET")));
        assertEquals(AccessLevel.VIEW, rules.required("POST", "/search"));
        assertEquals(AccessLevel.VIEW, rules.required("GET", "/search"), "rule names POST only: GET's default");
        assertEquals(AccessLevel.SHARE, rules.required("GET", "/export"), "** matches no segment too");
        assertEquals(AccessLevel.SHARE, rules.required("DELETE", "/export/all/2026"));
        assertEquals(AccessLevel.USE, rules.required("GET", "/records/7/history"));
        assertEquals(AccessLevel.UPDATE, rules.required("POST", "/records/7"));
        assertEquals(AccessLevel.USE, rules.required("POST", "/records/7/notes"), "no rule: POST's default");
        assertEquals(AccessLevel.USE, rules.required("GET", "/records"), "** after /records matches nothing more");
        assertEquals(AccessLevel.USE, rules.required("GET", "/records/7/anything/else"));
        assertEquals(AccessLevel.USE, rules.required("GET", ""), "/ is the version's root");
        assertEquals(AccessLevel.USE, rules.required("GET", "/"));
        assertEquals(AccessLevel.VIEW, rules.required("GET", "/other"));
        assertEquals(AccessLevel.UPDATE, rules.required("PUT", "/searchable"), "segments match whole, not as prefixes");
    }

    @Test
    void anotherSpellingOfAPathCannotSlipPastARule() {
        AccessRules rules = AccessRules.compile(List.of(rule("/export/**", "share"), rule("/records/{id}", "update")));
        for (String path : List.of("/EXPORT/all", "/Export", "/export%2Fall", "/export%2fall", "/x/..%2Fexport/all",
                "/x%2F..%2Fexport", "//export//all", "/./export/./all", "/export;jsessionid=1/all", "\\export\\all",
                "/x/%2E%2E/export", "/export%5Call")) {
            assertEquals(AccessLevel.SHARE, rules.required("GET", path), path);
        }
        assertEquals(AccessLevel.UPDATE, rules.required("GET", "/Records/7;v=1"));
        assertEquals(AccessLevel.VIEW, rules.required("GET", "/exports/all"));
        assertEquals(AccessLevel.VIEW, rules.required("GET", "/records/7/8"));
        assertEquals(AccessLevel.VIEW, rules.required("GET", "/../../records"), ".. above the root stays at the root");
        assertEquals(List.of("a", "c"), AccessRules.segments("/a/b/../c/"));
        assertEquals(List.of("a%20b", "c"), AccessRules.segments("/a%20b/c"), "other escapes are compared as written");
        assertEquals(List.of("a%2"), AccessRules.segments("/a%2"), "a truncated escape is kept as is");
    }

    @Test
    void everyProblemOfARuleIsNamed() {
        List<FieldError> errors = AccessRules.validate(Arrays.asList(
                rule("/ok/{id}/**", "view", "GET", "POST"),
                rule("records", "admin", "get"),
                rule(null, null),
                rule("/a/**/b", "use"),
                rule("/a/../b", "use"),
                rule("/a/x*y", "use"),
                rule("/a/{}", "use"),
                null,
                rule("/a b", "use"),
                rule("/" + "a".repeat(AccessRules.MAX_PATH), "use")), "accessRules");
        String got = errors.stream().map(e -> e.field() + ":" + e.rule()).collect(Collectors.joining(" "));
        assertEquals("accessRules[1].level:oneOf accessRules[1].methods[0]:method accessRules[1].path:pattern "
                + "accessRules[2].level:required accessRules[2].path:required accessRules[3].path:pattern "
                + "accessRules[4].path:pattern accessRules[5].path:pattern accessRules[6].path:pattern "
                + "accessRules[7]:required accessRules[8].path:pattern accessRules[9].path:pattern", got);
        assertTrue(errors.get(5).message().contains("** may only be the last segment"), errors.get(5).message());
        assertTrue(AccessRules.validate(List.of(), "r").isEmpty());
        assertTrue(AccessRules.validate(null, "r").isEmpty());
        List<AccessRule> many = java.util.Collections.nCopies(AccessRules.MAX_RULES + 1, rule("/x", "use"));
        assertEquals("r:maxItems", AccessRules.validate(many, "r").stream().map(e -> e.field() + ":" + e.rule())
                .collect(Collectors.joining(" ")));
    }

    @Test
    void rulesThatDoNotValidateRequireTheHighestLevelOfEverything() {
        // e.g. a feed written by a newer catalog: better refuse than let an operation through at a lower level
        AccessRules rules = AccessRules.compile(List.of(rule("/search", "view", "POST"), rule("/x", "superuser")));
        assertEquals(AccessLevel.SHARE, rules.required("GET", "/search"));
        assertEquals(AccessLevel.SHARE, rules.required("POST", "/anything"));
    }
}
