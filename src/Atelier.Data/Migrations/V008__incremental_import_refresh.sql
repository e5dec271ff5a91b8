-- Incremental refresh of the import-derived tables (V003): after an import only the ISO weeks and the customers that
-- the orders of the imported files (and of any earlier file not yet reflected, import_file.derived_at IS NULL) touch
-- are recomputed. The full rebuild stays for callers that changed data outside an
-- import (demo store). Both now break ntile ties by customer_id so that the R/F/M scores are deterministic and the
-- incremental result equals a full rebuild exactly.

-- When the derived tables last reflected the file's orders (NULL: not yet, e.g. imported without a refresh).
ALTER TABLE import_file ADD COLUMN derived_at timestamptz;

CREATE OR REPLACE FUNCTION refresh_import_derived() RETURNS void LANGUAGE plpgsql AS $$
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
           ntile(5) OVER (ORDER BY x.recency DESC, x.customer_id), ntile(5) OVER (ORDER BY x.freq, x.customer_id),
           ntile(5) OVER (ORDER BY x.monetary, x.customer_id)
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
    UPDATE import_file SET derived_at = now() WHERE status = 'done';
END $$;

-- Recomputes what the orders of the given import files can have changed: the weekly sales of their ISO weeks (UTC),
-- and the features and interactions of their customers; then recency (as of the last order) and the R/F/M quintiles
-- of every customer, since those are relative to all others (only rows whose values change are written).
CREATE FUNCTION refresh_import_derived(p_files bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_asof  timestamptz;
    v_files bigint[];
    v_mark  bigint[];
BEGIN
    -- One refresh at a time (a full rebuild's TRUNCATE conflicts too); readers are not blocked.
    LOCK TABLE sales_weekly_article, sales_weekly_product, sales_weekly_category, customer_features,
               customer_article_interaction IN SHARE ROW EXCLUSIVE MODE;
    -- A file still being imported by someone else is refreshed now but marked only when its own import refreshes.
    SELECT array_agg(import_file_id),
           array_agg(import_file_id) FILTER (WHERE status = 'done' OR import_file_id = ANY (p_files))
    INTO v_files, v_mark
    FROM import_file WHERE derived_at IS NULL OR import_file_id = ANY (p_files);
    IF to_regclass('pg_temp.refresh_weeks') IS NOT NULL THEN DROP TABLE pg_temp.refresh_weeks; END IF;
    IF to_regclass('pg_temp.refresh_customers') IS NOT NULL THEN DROP TABLE pg_temp.refresh_customers; END IF;
    CREATE TEMP TABLE refresh_weeks ON COMMIT DROP AS
        SELECT DISTINCT date_trunc('week', placed_at AT TIME ZONE 'UTC')::date AS week_start
        FROM orders WHERE import_file_id = ANY (v_files);
    CREATE TEMP TABLE refresh_customers ON COMMIT DROP AS
        SELECT DISTINCT customer_id FROM orders WHERE import_file_id = ANY (v_files);
    ANALYZE refresh_weeks;
    ANALYZE refresh_customers;

    -- Weekly sales: the touched weeks, by index range on orders.placed_at.
    DELETE FROM sales_weekly_article WHERE week_start IN (SELECT week_start FROM refresh_weeks);
    INSERT INTO sales_weekly_article (week_start, article_id, units, revenue, orders)
    SELECT w.week_start, s.article_id, sum(s.quantity), sum(s.revenue), count(DISTINCT s.order_id)
    FROM refresh_weeks w
    JOIN sales_line s ON s.placed_at >= (w.week_start::timestamp AT TIME ZONE 'UTC')
                     AND s.placed_at < ((w.week_start + 7)::timestamp AT TIME ZONE 'UTC')
    GROUP BY 1, 2;
    DELETE FROM sales_weekly_product WHERE week_start IN (SELECT week_start FROM refresh_weeks);
    INSERT INTO sales_weekly_product (week_start, product_id, units, revenue)
    SELECT w.week_start, a.product_id, sum(w.units), sum(w.revenue)
    FROM sales_weekly_article w JOIN article a USING (article_id)
    WHERE w.week_start IN (SELECT week_start FROM refresh_weeks) GROUP BY 1, 2;
    DELETE FROM sales_weekly_category WHERE week_start IN (SELECT week_start FROM refresh_weeks);
    INSERT INTO sales_weekly_category (week_start, category_id, units, revenue)
    SELECT w.week_start, p.category_id, sum(w.units), sum(w.revenue)
    FROM sales_weekly_product w JOIN product p USING (product_id)
    WHERE w.week_start IN (SELECT week_start FROM refresh_weeks) GROUP BY 1, 2;

    -- Customer aggregates of the touched customers (order totals as in the order_total view).
    DELETE FROM customer_features WHERE customer_id IN (SELECT customer_id FROM refresh_customers);
    INSERT INTO customer_features
    SELECT o.customer_id, min(o.placed_at), max(o.placed_at), 0, count(*)::integer, sum(t.total), sum(t.units), 0, 0, 0
    FROM refresh_customers c
    JOIN orders o ON o.customer_id = c.customer_id AND o.status <> 'cancelled'
    CROSS JOIN LATERAL (
        SELECT coalesce(sum(l.quantity * (l.unit_price - l.discount)), 0)::numeric(14, 4) AS total,
               coalesce(sum(l.quantity), 0)::integer AS units
        FROM order_line l WHERE l.order_id = o.order_id) t
    GROUP BY o.customer_id;

    -- Recency and quintiles are relative to the last order and to all customers: recompute, write only changes.
    SELECT max(placed_at) INTO v_asof FROM orders WHERE status <> 'cancelled';
    UPDATE customer_features f
    SET recency_days = s.recency, r_score = s.r, f_score = s.f, m_score = s.m
    FROM (SELECT x.customer_id, x.recency,
                 ntile(5) OVER (ORDER BY x.recency DESC, x.customer_id) AS r,
                 ntile(5) OVER (ORDER BY x.frequency, x.customer_id) AS f,
                 ntile(5) OVER (ORDER BY x.monetary, x.customer_id) AS m
          FROM (SELECT customer_id, frequency, monetary,
                       (extract(epoch FROM v_asof - last_order_at) / 86400)::integer AS recency
                FROM customer_features) x) s
    WHERE f.customer_id = s.customer_id
      AND (f.recency_days, f.r_score, f.f_score, f.m_score) IS DISTINCT FROM (s.recency, s.r, s.f, s.m);

    -- Interactions of the touched customers (purchases from their orders, carts and views from their events).
    DELETE FROM customer_article_interaction WHERE customer_id IN (SELECT customer_id FROM refresh_customers);
    INSERT INTO customer_article_interaction (customer_id, article_id, purchases, carts, views, weight, last_at)
    SELECT customer_id, article_id, sum(p)::integer, sum(c)::integer, sum(v)::integer,
           (sum(p) + 0.3 * sum(c) + 0.1 * sum(v))::real, max(at)
    FROM (SELECT s.customer_id, s.article_id, s.quantity AS p, 0 AS c, 0 AS v, s.placed_at AS at
          FROM sales_line s WHERE s.customer_id IN (SELECT customer_id FROM refresh_customers)
          UNION ALL
          SELECT e.customer_id, e.article_id, 0, (e.event_type = 'add_to_cart')::int, (e.event_type = 'view')::int, e.occurred_at
          FROM event e WHERE e.customer_id IN (SELECT customer_id FROM refresh_customers) AND e.article_id IS NOT NULL
                         AND e.event_type IN ('add_to_cart', 'view')) u
    GROUP BY customer_id, article_id;
    UPDATE import_file SET derived_at = now() WHERE import_file_id = ANY (v_mark);
END $$;
