-- Atelier core schema (BCNF; see docs/database.md for the functional dependencies and the decisions).

-- ---------------------------------------------------------------- customers and accounts
CREATE TABLE customer (
    customer_id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- the ML id: no PII here
    external_ref           text UNIQUE,                                      -- e.g. H&M customer_id hash
    age                    smallint CHECK (age BETWEEN 10 AND 120),
    postal_code            text,
    club_member_status     text CHECK (club_member_status IN ('ACTIVE', 'PRE-CREATE', 'LEFT CLUB')),
    fashion_news_frequency text CHECK (fashion_news_frequency IN ('NONE', 'Regularly', 'Monthly')),
    created_at             timestamptz NOT NULL DEFAULT now()
);

-- Personal data lives apart so it can be erased (GDPR) without touching orders or the models.
CREATE TABLE customer_pii (
    customer_id bigint PRIMARY KEY REFERENCES customer ON DELETE CASCADE,
    full_name   text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
    email       text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    phone       text,
    street      text,
    city        text,
    country     text
);

CREATE TABLE app_user (
    user_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    password_hash   text NOT NULL,
    role            text NOT NULL CHECK (role IN ('customer', 'seller', 'admin')),
    customer_id     bigint UNIQUE REFERENCES customer ON DELETE SET NULL,
    failed_logins   integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------- catalogue
CREATE TABLE category (
    category_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id   integer REFERENCES category ON DELETE RESTRICT,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    CHECK (parent_id IS DISTINCT FROM category_id)
);
CREATE UNIQUE INDEX category_sibling_name ON category (COALESCE(parent_id, 0), name);

CREATE TABLE product_group (
    product_group_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             text NOT NULL UNIQUE
);

CREATE TABLE product_type (
    product_type_id  integer PRIMARY KEY,                -- H&M product_type_no
    name             text NOT NULL,
    product_group_id integer NOT NULL REFERENCES product_group ON DELETE RESTRICT,
    UNIQUE (product_group_id, name)
);

CREATE TABLE colour (
    colour_id integer PRIMARY KEY,                       -- H&M colour_group_code
    name      text NOT NULL UNIQUE
);

CREATE TABLE graphical_appearance (
    graphical_appearance_id integer PRIMARY KEY,
    name                    text NOT NULL UNIQUE
);

CREATE TABLE garment_group (
    garment_group_id integer PRIMARY KEY,
    name             text NOT NULL UNIQUE
);

CREATE TABLE product (
    product_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_code     text NOT NULL UNIQUE,               -- H&M product_code (style level)
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description      text,
    product_type_id  integer NOT NULL REFERENCES product_type ON DELETE RESTRICT,
    category_id      integer NOT NULL REFERENCES category ON DELETE RESTRICT,
    garment_group_id integer REFERENCES garment_group ON DELETE RESTRICT,
    season           text CHECK (season IN ('spring', 'summer', 'autumn', 'winter', 'all')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    search           tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')
    ) STORED
);
CREATE INDEX product_search ON product USING gin (search);
CREATE INDEX product_category ON product (category_id);
CREATE INDEX product_type_idx ON product (product_type_id);

-- Article = sellable variant (colour × size), in the spirit of H&M's product_code/article_id split.
CREATE TABLE article (
    article_id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_code            text NOT NULL UNIQUE,        -- H&M article_id (keeps the leading zero) or the SKU
    product_id              bigint NOT NULL REFERENCES product ON DELETE CASCADE,
    colour_id               integer REFERENCES colour ON DELETE RESTRICT,
    graphical_appearance_id integer REFERENCES graphical_appearance ON DELETE RESTRICT,
    size                    text NOT NULL DEFAULT 'ONE SIZE' CHECK (length(size) BETWEEN 1 AND 20),
    price                   numeric(12, 4) NOT NULL CHECK (price >= 0),
    stock                   integer NOT NULL DEFAULT 0 CHECK (stock >= 0),
    reorder_level           integer NOT NULL DEFAULT 5 CHECK (reorder_level >= 0),
    is_active               boolean NOT NULL DEFAULT true,
    created_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (product_id, colour_id, size)
);
CREATE INDEX article_product ON article (product_id);

-- ---------------------------------------------------------------- campaigns and influencers
CREATE TABLE campaign (
    campaign_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    kind         text NOT NULL CHECK (kind IN ('discount', 'email', 'influencer', 'social', 'experiment')),
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    budget       numeric(14, 2) NOT NULL DEFAULT 0 CHECK (budget >= 0),
    discount_pct numeric(5, 2) CHECK (discount_pct > 0 AND discount_pct < 100),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);

CREATE TABLE influencer (
    influencer_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    handle        text NOT NULL UNIQUE,
    name          text NOT NULL,
    platform      text NOT NULL CHECK (platform IN ('instagram', 'tiktok', 'youtube', 'blog', 'other')),
    followers     integer NOT NULL CHECK (followers >= 0)
);

CREATE TABLE campaign_influencer (
    campaign_id   bigint NOT NULL REFERENCES campaign ON DELETE CASCADE,
    influencer_id bigint NOT NULL REFERENCES influencer ON DELETE RESTRICT,
    fee           numeric(14, 2) NOT NULL CHECK (fee >= 0),
    posts         integer NOT NULL DEFAULT 1 CHECK (posts > 0),
    PRIMARY KEY (campaign_id, influencer_id)
);

CREATE TABLE campaign_target_segment (
    campaign_id bigint NOT NULL REFERENCES campaign ON DELETE CASCADE,
    segment     text NOT NULL,
    PRIMARY KEY (campaign_id, segment)
);

CREATE TABLE campaign_target_category (
    campaign_id bigint NOT NULL REFERENCES campaign ON DELETE CASCADE,
    category_id integer NOT NULL REFERENCES category ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, category_id)
);

CREATE TABLE campaign_target_product (
    campaign_id bigint NOT NULL REFERENCES campaign ON DELETE CASCADE,
    product_id  bigint NOT NULL REFERENCES product ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, product_id)
);

-- Randomised experiments: who was treated, who was the control.
CREATE TABLE campaign_assignment (
    campaign_id bigint NOT NULL REFERENCES campaign ON DELETE CASCADE,
    customer_id bigint NOT NULL REFERENCES customer ON DELETE CASCADE,
    treated     boolean NOT NULL,
    arm         text NOT NULL DEFAULT 'default',
    PRIMARY KEY (campaign_id, customer_id)
);

-- ---------------------------------------------------------------- orders
CREATE TABLE orders (
    order_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id  bigint NOT NULL REFERENCES customer ON DELETE RESTRICT,
    placed_at    timestamptz NOT NULL DEFAULT now(),
    channel      smallint NOT NULL DEFAULT 2 CHECK (channel IN (1, 2)),   -- 1 store, 2 online (H&M sales_channel_id)
    status       text NOT NULL DEFAULT 'placed'
                 CHECK (status IN ('placed', 'paid', 'shipped', 'delivered', 'cancelled')),
    cancelled_at timestamptz,
    campaign_id  bigint REFERENCES campaign ON DELETE SET NULL,
    external_ref text UNIQUE,                                              -- import key: idempotent re-imports
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX orders_customer ON orders (customer_id, placed_at DESC);
CREATE INDEX orders_placed_at ON orders (placed_at);

CREATE TABLE order_line (
    order_id   bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
    line_no    smallint NOT NULL CHECK (line_no > 0),
    article_id bigint NOT NULL REFERENCES article ON DELETE RESTRICT,
    quantity   integer NOT NULL CHECK (quantity > 0),
    unit_price numeric(12, 4) NOT NULL CHECK (unit_price >= 0),
    discount   numeric(12, 4) NOT NULL DEFAULT 0 CHECK (discount >= 0 AND discount <= unit_price),
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_line_article ON order_line (article_id);

CREATE TABLE payment (
    payment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
    amount     numeric(14, 4) NOT NULL CHECK (amount >= 0),
    method     text NOT NULL CHECK (method IN ('card', 'paypal', 'invoice', 'gift_card', 'imported')),
    status     text NOT NULL CHECK (status IN ('authorised', 'captured', 'refunded', 'failed')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_order ON payment (order_id);

-- ---------------------------------------------------------------- reviews
CREATE TABLE review (
    review_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id   bigint NOT NULL REFERENCES product ON DELETE CASCADE,
    article_id   bigint REFERENCES article ON DELETE SET NULL,
    customer_id  bigint REFERENCES customer ON DELETE SET NULL,
    rating       smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title        text,
    body         text,
    recommended  boolean,
    reviewer_age smallint CHECK (reviewer_age BETWEEN 10 AND 120),
    created_at   timestamptz NOT NULL DEFAULT now(),
    source       text NOT NULL DEFAULT 'store',
    external_ref text,
    UNIQUE (customer_id, article_id),
    UNIQUE (source, external_ref)
);
CREATE INDEX review_product ON review (product_id, created_at DESC);

-- ---------------------------------------------------------------- behavioural events (partitioned by month)
CREATE TABLE event (
    event_id    bigint GENERATED ALWAYS AS IDENTITY,
    occurred_at timestamptz NOT NULL,
    event_type  text NOT NULL CHECK (event_type IN
                ('view', 'add_to_cart', 'remove_from_cart', 'purchase', 'recommendation_click')),
    session_id  uuid NOT NULL,
    customer_id bigint REFERENCES customer ON DELETE CASCADE,
    article_id  bigint REFERENCES article ON DELETE CASCADE,
    campaign_id bigint REFERENCES campaign ON DELETE SET NULL,
    PRIMARY KEY (event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX event_session ON event (session_id, occurred_at);
CREATE INDEX event_customer ON event (customer_id, occurred_at);

-- Creates the monthly partitions covering [from, to); idempotent.
CREATE FUNCTION ensure_event_partitions(p_from date, p_to date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    m       date := date_trunc('month', p_from)::date;
    created integer := 0;
    name    text;
BEGIN
    WHILE m < p_to LOOP
        name := format('event_%s', to_char(m, 'YYYY_MM'));
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF event FOR VALUES FROM (%L) TO (%L)',
                           name, m, (m + interval '1 month')::date);
            created := created + 1;
        END IF;
        m := (m + interval '1 month')::date;
    END LOOP;
    RETURN created;
END $$;

SELECT ensure_event_partitions(date '2018-09-01', (date_trunc('month', now()) + interval '13 months')::date);
CREATE TABLE event_default PARTITION OF event DEFAULT;
