-- HTTP API support: carts, idempotent order placement, anonymous sessions merged into customers on login.

CREATE TABLE cart (
    customer_id bigint PRIMARY KEY REFERENCES customer ON DELETE CASCADE,   -- one open cart per customer
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cart_line (
    customer_id bigint NOT NULL REFERENCES cart ON DELETE CASCADE,
    article_id  bigint NOT NULL REFERENCES article ON DELETE CASCADE,
    quantity    integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, article_id)
);

-- One row per (user, Idempotency-Key). The first request inserts it inside its transaction, so concurrent
-- retries block on the primary key until it commits, then read the stored response instead of ordering again.
CREATE TABLE idempotency_key (
    user_id         bigint NOT NULL REFERENCES app_user ON DELETE CASCADE,
    key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash    text NOT NULL,
    response_status integer,
    response_body   jsonb,
    order_id        bigint REFERENCES orders ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);

-- Anonymous browsing sessions; linked to a customer at login, after which their events carry the customer.
CREATE TABLE web_session (
    session_id  uuid PRIMARY KEY,
    customer_id bigint REFERENCES customer ON DELETE CASCADE,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    linked_at   timestamptz
);
CREATE INDEX web_session_customer ON web_session (customer_id);

-- Attaches a session's anonymous events to the customer; returns how many events were merged.
CREATE FUNCTION merge_session(p_session_id uuid, p_customer_id bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    INSERT INTO web_session (session_id, customer_id, linked_at) VALUES (p_session_id, p_customer_id, now())
    ON CONFLICT (session_id) DO UPDATE SET customer_id = excluded.customer_id, linked_at = now()
    WHERE web_session.customer_id IS NULL OR web_session.customer_id = excluded.customer_id;
    IF NOT FOUND THEN
        RETURN 0;   -- the session already belongs to another customer: leave its events alone
    END IF;
    UPDATE event SET customer_id = p_customer_id WHERE session_id = p_session_id AND customer_id IS NULL;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

CREATE INDEX review_customer_article ON review (customer_id, article_id);
CREATE INDEX product_created ON product (created_at DESC, product_id);
