-- Reporting views and the transactional functions (order placement, cancellation, campaign report).

-- Revenue of a line after discount; cancelled orders never count as sales.
CREATE VIEW sales_line AS
SELECT o.order_id, o.customer_id, o.placed_at, o.channel, o.campaign_id,
       l.line_no, l.article_id, a.product_id, p.category_id, p.product_type_id,
       l.quantity, l.unit_price, l.discount,
       l.quantity * (l.unit_price - l.discount) AS revenue
FROM orders o
JOIN order_line l ON l.order_id = o.order_id
JOIN article a ON a.article_id = l.article_id
JOIN product p ON p.product_id = a.product_id
WHERE o.status <> 'cancelled';

CREATE VIEW order_total AS
SELECT o.order_id, o.customer_id, o.placed_at, o.status,
       coalesce(sum(l.quantity * (l.unit_price - l.discount)), 0)::numeric(14, 4) AS total,
       coalesce(sum(l.quantity), 0)::integer AS units
FROM orders o
LEFT JOIN order_line l ON l.order_id = o.order_id
GROUP BY o.order_id;

CREATE VIEW top_selling_products AS
SELECT s.product_id, p.product_code, p.name,
       sum(s.quantity)::bigint AS units_sold,
       sum(s.revenue)::numeric(16, 4) AS revenue,
       count(DISTINCT s.order_id)::bigint AS orders,
       rank() OVER (ORDER BY sum(s.quantity) DESC) AS sales_rank
FROM sales_line s
JOIN product p ON p.product_id = s.product_id
GROUP BY s.product_id, p.product_code, p.name;

CREATE VIEW low_stock_items AS
SELECT a.article_id, a.article_code, p.product_id, p.name AS product_name, c.name AS colour, a.size,
       a.stock, a.reorder_level, a.reorder_level - a.stock AS shortfall
FROM article a
JOIN product p ON p.product_id = a.product_id
LEFT JOIN colour c ON c.colour_id = a.colour_id
WHERE a.is_active AND a.stock <= a.reorder_level;

CREATE VIEW daily_revenue AS
SELECT (s.placed_at AT TIME ZONE 'UTC')::date AS day,
       count(DISTINCT s.order_id)::bigint AS orders,
       sum(s.quantity)::bigint AS units,
       sum(s.revenue)::numeric(16, 4) AS revenue,
       count(DISTINCT s.customer_id)::bigint AS customers
FROM sales_line s
GROUP BY 1;

CREATE VIEW category_sales_weekly AS
SELECT date_trunc('week', s.placed_at AT TIME ZONE 'UTC')::date AS week_start,
       s.category_id, c.name AS category_name,
       sum(s.quantity)::bigint AS units,
       sum(s.revenue)::numeric(16, 4) AS revenue
FROM sales_line s
JOIN category c ON c.category_id = s.category_id
GROUP BY 1, 2, 3;

-- RFM as of now(): recency in days, frequency in orders, monetary in revenue.
CREATE VIEW customer_rfm AS
SELECT s.customer_id,
       max(s.placed_at) AS last_order_at,
       (extract(epoch FROM now() - max(s.placed_at)) / 86400)::integer AS recency_days,
       count(DISTINCT s.order_id)::integer AS frequency,
       sum(s.revenue)::numeric(16, 4) AS monetary
FROM sales_line s
GROUP BY s.customer_id;

-- place_order: one transaction. Items: jsonb array of {"article_id": n, "quantity": n}.
-- Locks the articles in id order (no deadlocks between concurrent orders), checks and decrements stock, inserts
-- the order, its lines and the payment. Errors (SQLSTATE):
--   AT001 insufficient stock (names the article), AT002 unknown or inactive article, AT003 bad request, AT004 unknown customer.
CREATE FUNCTION place_order(p_customer_id bigint, p_items jsonb, p_channel smallint DEFAULT 2,
                            p_payment_method text DEFAULT 'card', p_campaign_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_order_id bigint;
    v_line     smallint := 0;
    v_total    numeric(14, 4) := 0;
    v_discount numeric(5, 2);
    v_ids      bigint[];
    v_qtys     integer[];
    v_missing  bigint;
    r          record;
BEGIN
    IF p_items IS NULL OR jsonb_typeof(p_items) <> 'array' OR jsonb_array_length(p_items) = 0 THEN
        RAISE EXCEPTION 'an order needs at least one item' USING ERRCODE = 'AT003';
    END IF;
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_items) e
               WHERE jsonb_typeof(e -> 'article_id') IS DISTINCT FROM 'number'
                  OR jsonb_typeof(e -> 'quantity') IS DISTINCT FROM 'number'
                  OR (e ->> 'quantity')::numeric <= 0
                  OR (e ->> 'quantity')::numeric <> trunc((e ->> 'quantity')::numeric)) THEN
        RAISE EXCEPTION 'every item needs an article_id and a positive whole quantity' USING ERRCODE = 'AT003';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM customer WHERE customer_id = p_customer_id) THEN
        RAISE EXCEPTION 'customer % does not exist', p_customer_id USING ERRCODE = 'AT004';
    END IF;
    IF p_campaign_id IS NOT NULL THEN
        SELECT discount_pct INTO v_discount FROM campaign
        WHERE campaign_id = p_campaign_id AND now() >= starts_at AND now() < ends_at;
    END IF;

    -- One row per article (repeated articles are summed).
    SELECT array_agg(x.article_id ORDER BY x.article_id), array_agg(x.qty ORDER BY x.article_id)
    INTO v_ids, v_qtys
    FROM (SELECT (e ->> 'article_id')::bigint AS article_id, sum((e ->> 'quantity')::integer) AS qty
          FROM jsonb_array_elements(p_items) e GROUP BY 1) x;

    SELECT i INTO v_missing FROM unnest(v_ids) i
    WHERE NOT EXISTS (SELECT 1 FROM article a WHERE a.article_id = i AND a.is_active) LIMIT 1;
    IF v_missing IS NOT NULL THEN
        RAISE EXCEPTION 'article % does not exist or is not for sale', v_missing
            USING ERRCODE = 'AT002', DETAIL = format('article_id=%s', v_missing);
    END IF;

    -- Lock in a fixed order (no deadlocks between concurrent orders), check everything before writing anything.
    FOR r IN
        SELECT a.article_id, a.stock, a.price, a.article_code, p.name, q.qty
        FROM unnest(v_ids, v_qtys) AS q(article_id, qty)
        JOIN article a ON a.article_id = q.article_id
        JOIN product p ON p.product_id = a.product_id
        ORDER BY a.article_id
        FOR UPDATE OF a
    LOOP
        IF r.stock < r.qty THEN
            RAISE EXCEPTION 'insufficient stock for article % (%): requested %, available %',
                r.article_code, r.name, r.qty, r.stock
                USING ERRCODE = 'AT001', DETAIL = format('article_id=%s', r.article_id);
        END IF;
    END LOOP;

    INSERT INTO orders (customer_id, channel, status, campaign_id)
    VALUES (p_customer_id, p_channel, 'paid', CASE WHEN v_discount IS NOT NULL THEN p_campaign_id END)
    RETURNING order_id INTO v_order_id;

    FOR r IN SELECT a.article_id, a.price, q.qty
             FROM unnest(v_ids, v_qtys) AS q(article_id, qty) JOIN article a ON a.article_id = q.article_id
             ORDER BY a.article_id
    LOOP
        v_line := v_line + 1;
        UPDATE article SET stock = stock - r.qty WHERE article_id = r.article_id;
        INSERT INTO order_line (order_id, line_no, article_id, quantity, unit_price, discount)
        VALUES (v_order_id, v_line, r.article_id, r.qty, r.price, round(r.price * coalesce(v_discount, 0) / 100, 4));
        v_total := v_total + r.qty * (r.price - round(r.price * coalesce(v_discount, 0) / 100, 4));
    END LOOP;

    INSERT INTO payment (order_id, amount, method, status) VALUES (v_order_id, v_total, p_payment_method, 'captured');
    RETURN v_order_id;
END $$;

-- cancel_order: restocks every line, refunds the payment. AT005 unknown order, AT006 already cancelled.
CREATE FUNCTION cancel_order(p_order_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_status text;
BEGIN
    SELECT status INTO v_status FROM orders WHERE order_id = p_order_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'order % does not exist', p_order_id USING ERRCODE = 'AT005';
    END IF;
    IF v_status = 'cancelled' THEN
        RAISE EXCEPTION 'order % is already cancelled', p_order_id USING ERRCODE = 'AT006';
    END IF;
    IF v_status IN ('shipped', 'delivered') THEN
        RAISE EXCEPTION 'order % has been %: return it instead', p_order_id, v_status USING ERRCODE = 'AT006';
    END IF;
    -- Lock articles in id order, as place_order does.
    PERFORM 1 FROM article WHERE article_id IN (SELECT article_id FROM order_line WHERE order_id = p_order_id)
    ORDER BY article_id FOR UPDATE;
    UPDATE article a SET stock = a.stock + l.qty
    FROM (SELECT article_id, sum(quantity) AS qty FROM order_line WHERE order_id = p_order_id GROUP BY article_id) l
    WHERE a.article_id = l.article_id;
    UPDATE orders SET status = 'cancelled', cancelled_at = now() WHERE order_id = p_order_id;
    UPDATE payment SET status = 'refunded' WHERE order_id = p_order_id AND status = 'captured';
END $$;

-- campaign_summary: spend, reach, orders and revenue inside the campaign window vs the same-length window before.
CREATE FUNCTION campaign_summary(p_campaign_id bigint)
RETURNS TABLE (campaign_id bigint, name text, starts_at timestamptz, ends_at timestamptz,
               spend numeric, reach bigint, attributed_orders bigint, attributed_revenue numeric,
               orders_in_window bigint, revenue_in_window numeric,
               orders_before bigint, revenue_before numeric, revenue_change_pct numeric)
LANGUAGE sql STABLE AS $$
    WITH c AS (SELECT * FROM campaign WHERE campaign.campaign_id = p_campaign_id),
    w AS (SELECT c.starts_at AS s, c.ends_at AS e, c.starts_at - (c.ends_at - c.starts_at) AS b FROM c),
    inwin AS (SELECT count(DISTINCT o.order_id) AS n, coalesce(sum(t.total), 0) AS rev
              FROM order_total t JOIN orders o USING (order_id), w
              WHERE o.status <> 'cancelled' AND o.placed_at >= w.s AND o.placed_at < w.e),
    before AS (SELECT count(DISTINCT o.order_id) AS n, coalesce(sum(t.total), 0) AS rev
               FROM order_total t JOIN orders o USING (order_id), w
               WHERE o.status <> 'cancelled' AND o.placed_at >= w.b AND o.placed_at < w.s),
    attr AS (SELECT count(*) AS n, coalesce(sum(t.total), 0) AS rev
             FROM order_total t JOIN orders o USING (order_id)
             WHERE o.campaign_id = p_campaign_id AND o.status <> 'cancelled'),
    reach AS (SELECT count(*) AS n FROM (
                SELECT customer_id FROM event WHERE event.campaign_id = p_campaign_id AND customer_id IS NOT NULL
                UNION
                SELECT customer_id FROM campaign_assignment a WHERE a.campaign_id = p_campaign_id AND a.treated) x)
    SELECT c.campaign_id, c.name, c.starts_at, c.ends_at,
           c.budget + coalesce((SELECT sum(ci.fee) FROM campaign_influencer ci WHERE ci.campaign_id = c.campaign_id), 0),
           reach.n, attr.n, attr.rev, inwin.n, inwin.rev, before.n, before.rev,
           CASE WHEN before.rev > 0 THEN round(100 * (inwin.rev - before.rev) / before.rev, 2) END
    FROM c, inwin, before, attr, reach
$$;
