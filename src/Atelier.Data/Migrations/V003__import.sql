-- Imports: file-level bookkeeping (idempotent, resumable), quarantine of rejected rows, experiment outcomes,
-- and the derived tables the dashboards and recommenders read (refreshed after every import).

-- One row per imported file (keyed by content hash). committed_line is the checkpoint: every record that starts
-- at or before it is committed (loaded, quarantined or skipped) in the same transaction as the counters.
CREATE TABLE import_file (
    import_file_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source           text NOT NULL,
    kind             text NOT NULL,
    file_name        text NOT NULL,
    file_hash        text NOT NULL,
    status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done')),
    committed_line   bigint NOT NULL DEFAULT 0 CHECK (committed_line >= 0),
    rows_read        bigint NOT NULL DEFAULT 0,
    rows_loaded      bigint NOT NULL DEFAULT 0,
    rows_quarantined bigint NOT NULL DEFAULT 0,
    rows_duplicate   bigint NOT NULL DEFAULT 0,
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    UNIQUE (source, kind, file_hash),
    CHECK (rows_read = rows_loaded + rows_quarantined + rows_duplicate)
);

CREATE TABLE import_quarantine (
    quarantine_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    import_file_id bigint NOT NULL REFERENCES import_file ON DELETE CASCADE,
    file_name      text NOT NULL,
    line_no        bigint NOT NULL CHECK (line_no > 0),
    raw_line       text NOT NULL,
    reason         text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (import_file_id, line_no)
);

-- Which import file created an order: lines of the same file may be appended across batches, while an order that
-- another file created makes the rows duplicates. No foreign key: it is provenance, not a dependency.
ALTER TABLE orders ADD COLUMN import_file_id bigint;

-- Outcomes and pre-treatment covariates of a randomised campaign (e.g. the Hillstrom e-mail test).
CREATE TABLE campaign_outcome (
    campaign_id bigint NOT NULL,
    customer_id bigint NOT NULL,
    visited     boolean NOT NULL,
    converted   boolean NOT NULL,
    spend       numeric(12, 2) NOT NULL CHECK (spend >= 0),
    covariates  jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (campaign_id, customer_id),
    FOREIGN KEY (campaign_id, customer_id) REFERENCES campaign_assignment ON DELETE CASCADE
);

CREATE FUNCTION atelier_slug(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(nullif(trim(BOTH '-' FROM regexp_replace(lower(p), '[^a-z0-9]+', '-', 'g')), ''), 'x')
$$;

-- ---------------------------------------------------------------- derived tables
CREATE TABLE sales_weekly_article (
    week_start date NOT NULL,
    article_id bigint NOT NULL,
    units      bigint NOT NULL,
    revenue    numeric(16, 4) NOT NULL,
    orders     bigint NOT NULL,
    PRIMARY KEY (article_id, week_start)
);
CREATE TABLE sales_weekly_product (
    week_start date NOT NULL,
    product_id bigint NOT NULL,
    units      bigint NOT NULL,
    revenue    numeric(16, 4) NOT NULL,
    PRIMARY KEY (product_id, week_start)
);
CREATE TABLE sales_weekly_category (
    week_start  date NOT NULL,
    category_id integer NOT NULL,
    units       bigint NOT NULL,
    revenue     numeric(16, 4) NOT NULL,
    PRIMARY KEY (category_id, week_start)
);

-- RFM as of the last order in the data (imports are historical, so now() would make every customer lapsed).
CREATE TABLE customer_features (
    customer_id    bigint PRIMARY KEY,
    first_order_at timestamptz NOT NULL,
    last_order_at  timestamptz NOT NULL,
    recency_days   integer NOT NULL,
    frequency      integer NOT NULL,
    monetary       numeric(16, 4) NOT NULL,
    units          bigint NOT NULL,
    r_score        smallint NOT NULL,
    f_score        smallint NOT NULL,
    m_score        smallint NOT NULL
);

-- Implicit-feedback strength per customer × article: weight = 1·purchased units + 0.3·carts + 0.1·views.
CREATE TABLE customer_article_interaction (
    customer_id bigint NOT NULL,
    article_id  bigint NOT NULL,
    purchases   integer NOT NULL,
    carts       integer NOT NULL,
    views       integer NOT NULL,
    weight      real NOT NULL,
    last_at     timestamptz NOT NULL,
    PRIMARY KEY (customer_id, article_id)
);
CREATE INDEX customer_article_interaction_article ON customer_article_interaction (article_id);

CREATE FUNCTION refresh_import_derived() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_asof timestamptz;
BEGIN
    TRUNCATE sales_weekly_article, sales_weekly_product, sales_weekly_category, customer_features,
             customer_article_interaction;
    INSERT INTO sales_weekly_article (week_start, article_id, units, revenue, orders)
    SELECT date_trunc('week', placed_at AT TIME ZONE 'UTC')::date, article_id, sum(quantity), sum(revenue),
           count(DISTINCT order_id)
    FROM sales_line GROUP BY 1, 2;
    INSERT INTO sales_weekly_product (week_start, product_id, units, revenue)
    SELECT w.week_start, a.product_id, sum(w.units), sum(w.revenue)
    FROM sales_weekly_article w JOIN article a USING (article_id) GROUP BY 1, 2;
    INSERT INTO sales_weekly_category (week_start, category_id, units, revenue)
    SELECT w.week_start, p.category_id, sum(w.units), sum(w.revenue)
    FROM sales_weekly_product w JOIN product p USING (product_id) GROUP BY 1, 2;

    SELECT max(placed_at) INTO v_asof FROM orders WHERE status <> 'cancelled';
    INSERT INTO customer_features
    SELECT x.customer_id, x.first_at, x.last_at, x.recency, x.freq, x.monetary, x.units,
           ntile(5) OVER (ORDER BY x.recency DESC), ntile(5) OVER (ORDER BY x.freq), ntile(5) OVER (ORDER BY x.monetary)
    FROM (SELECT o.customer_id, min(o.placed_at) AS first_at, max(o.placed_at) AS last_at,
                 (extract(epoch FROM v_asof - max(o.placed_at)) / 86400)::integer AS recency,
                 count(*)::integer AS freq, sum(t.total) AS monetary, sum(t.units) AS units
          FROM orders o JOIN order_total t USING (order_id)
          WHERE o.status <> 'cancelled' GROUP BY o.customer_id) x;

    INSERT INTO customer_article_interaction (customer_id, article_id, purchases, carts, views, weight, last_at)
    SELECT customer_id, article_id, sum(p)::integer, sum(c)::integer, sum(v)::integer,
           (sum(p) + 0.3 * sum(c) + 0.1 * sum(v))::real, max(at)
    FROM (SELECT customer_id, article_id, quantity AS p, 0 AS c, 0 AS v, placed_at AS at FROM sales_line
          UNION ALL
          SELECT customer_id, article_id, 0, (event_type = 'add_to_cart')::int, (event_type = 'view')::int, occurred_at
          FROM event WHERE customer_id IS NOT NULL AND article_id IS NOT NULL
                       AND event_type IN ('add_to_cart', 'view')) u
    GROUP BY customer_id, article_id;
END $$;
