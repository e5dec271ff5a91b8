-- Stored demand forecasts (issue 6). One run per (level, frequency) is current; a new run of that level replaces it.
-- The inventory plan is computed on request from the latest article-level run (lead time and service level vary).

CREATE TABLE forecast_run (
    run_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    level         text NOT NULL CHECK (level IN ('total', 'category', 'product_type', 'product', 'article')),
    frequency     text NOT NULL CHECK (frequency IN ('weekly', 'daily')),
    horizon       integer NOT NULL CHECK (horizon BETWEEN 1 AND 366),
    history_start date NOT NULL,
    origin        date NOT NULL,                          -- start of the first forecast period
    series        integer NOT NULL CHECK (series >= 0),
    reconciled    boolean NOT NULL DEFAULT false,         -- true: sums of the article forecasts (bottom-up)
    generated_at  timestamptz NOT NULL DEFAULT now(),
    model_summary jsonb NOT NULL DEFAULT '{}',            -- e.g. {"ets": 12, "sba": 40, "bottom_up": 3}
    CHECK (origin > history_start)
);
CREATE INDEX forecast_run_latest ON forecast_run (level, frequency, generated_at DESC);

-- series_key: '' for total, else the id of the category / product type / product / article as text.
CREATE TABLE forecast (
    run_id       bigint NOT NULL REFERENCES forecast_run ON DELETE CASCADE,
    series_key   text NOT NULL,
    period_start date NOT NULL,
    model        text NOT NULL,
    point        double precision NOT NULL CHECK (point >= 0),
    lo80         double precision NOT NULL,
    hi80         double precision NOT NULL,
    lo95         double precision NOT NULL,
    hi95         double precision NOT NULL,
    PRIMARY KEY (run_id, series_key, period_start),
    CHECK (lo95 <= lo80 AND lo80 <= point AND point <= hi80 AND hi80 <= hi95)
);
