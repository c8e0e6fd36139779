-- Periodic evaluation and ranking of agencies' sharing activity (Lào Cai Art. 25, REQUIREMENTS M7).

-- One evaluation: a period, the agencies evaluated and the method's parameters. A draft's ranking is computed on
-- each read; publishing stores it as the exact JSON text served from then on (results) and its SHA-256, which also
-- goes into the chained admin log.
CREATE TABLE audit_evaluation (
    id                    UUID          PRIMARY KEY,
    name                  VARCHAR(128)  NOT NULL UNIQUE,
    period_from           DATE          NOT NULL,
    period_to             DATE          NOT NULL,
    agencies              VARCHAR(16)[] NOT NULL,
    weights               JSONB         NOT NULL,
    self_assessment_share SMALLINT      NOT NULL CHECK (self_assessment_share BETWEEN 0 AND 100),
    state                 VARCHAR(16)   NOT NULL CHECK (state IN ('draft', 'published')),
    version               INTEGER       NOT NULL DEFAULT 1,
    created_by            VARCHAR(128)  NOT NULL,
    created_at            TIMESTAMPTZ   NOT NULL,
    updated_at            TIMESTAMPTZ   NOT NULL,
    published_by          VARCHAR(128),
    published_at          TIMESTAMPTZ,
    results               TEXT,
    results_sha256        CHAR(64),
    CHECK (period_from <= period_to),
    CHECK ((state = 'published') = (results IS NOT NULL))
);

-- An agency's self-assessment ('self') and the operator's assessment ('operator') of the criteria monitoring cannot
-- measure; scores is {criterion: 0..100}. Kept after publication (the notes are evidence; the published ranking has
-- the scores without them).
CREATE TABLE audit_evaluation_assessment (
    evaluation_id UUID          NOT NULL REFERENCES audit_evaluation (id) ON DELETE CASCADE,
    agency        VARCHAR(16)   NOT NULL,
    source        VARCHAR(8)    NOT NULL CHECK (source IN ('self', 'operator')),
    scores        JSONB         NOT NULL,
    note          VARCHAR(2000),
    assessed_by   VARCHAR(128)  NOT NULL,
    assessed_at   TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (evaluation_id, agency, source)
);
