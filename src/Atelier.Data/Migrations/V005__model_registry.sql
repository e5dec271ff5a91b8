-- MLOps: run tracking, model registry with promotion gates, and served recommendation batches.

CREATE TABLE model_run (
    run_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_name  text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    params      jsonb NOT NULL DEFAULT '{}',
    metrics     jsonb NOT NULL DEFAULT '{}',
    data_note   text,
    error       text,
    CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX model_run_name ON model_run (model_name, started_at DESC);

CREATE TABLE model_version (
    model_name      text NOT NULL,
    version         integer NOT NULL CHECK (version > 0),
    run_id          bigint REFERENCES model_run ON DELETE SET NULL,
    artifact        bytea NOT NULL,
    artifact_sha256 text NOT NULL,
    metrics         jsonb NOT NULL DEFAULT '{}',
    stage           text NOT NULL DEFAULT 'candidate'
                    CHECK (stage IN ('candidate', 'production', 'archived', 'rejected')),
    stage_reason    text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    promoted_at     timestamptz,
    PRIMARY KEY (model_name, version)
);
-- At most one production version per model.
CREATE UNIQUE INDEX model_version_one_production ON model_version (model_name) WHERE stage = 'production';

-- Nightly batch top-N per customer, served without computing anything at request time.
CREATE TABLE recommendation_batch (
    customer_id   bigint NOT NULL REFERENCES customer ON DELETE CASCADE,
    rank          smallint NOT NULL CHECK (rank > 0),
    article_id    bigint NOT NULL REFERENCES article ON DELETE CASCADE,
    score         real NOT NULL,
    reason        text NOT NULL,
    model_name    text NOT NULL,
    model_version integer NOT NULL,
    generated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, rank)
);
