-- Customer and review insights computed by `atelier analyze customers|reviews` (replaced as a whole on each run).

-- One row per customer with at least one sale, as of the run.
CREATE TABLE customer_insight (
    customer_id            bigint PRIMARY KEY REFERENCES customer ON DELETE CASCADE,
    as_of                  timestamptz NOT NULL,
    recency_days           double precision NOT NULL CHECK (recency_days >= 0),
    frequency              integer NOT NULL CHECK (frequency > 0),
    monetary               numeric(16, 4) NOT NULL,
    r_score                smallint NOT NULL CHECK (r_score BETWEEN 1 AND 5),
    f_score                smallint NOT NULL CHECK (f_score BETWEEN 1 AND 5),
    m_score                smallint NOT NULL CHECK (m_score BETWEEN 1 AND 5),
    rfm_group              text NOT NULL,
    cluster_id             smallint,
    cluster_name           text,
    churn_probability      real CHECK (churn_probability BETWEEN 0 AND 1),        -- null: too little history to train
    p_alive                real CHECK (p_alive BETWEEN 0 AND 1),
    expected_purchases_365 real CHECK (expected_purchases_365 >= 0),
    predicted_clv_365      numeric(16, 4),
    expected_next_order    date
);
CREATE INDEX customer_insight_group ON customer_insight (rfm_group);
CREATE INDEX customer_insight_cluster ON customer_insight (cluster_id);

-- The k-means segments of the last run (names are plain language, from the cluster centres).
CREATE TABLE customer_segment (
    cluster_id         smallint PRIMARY KEY,
    name               text NOT NULL,
    size               integer NOT NULL CHECK (size >= 0),
    share              real NOT NULL,
    mean_recency_days  double precision NOT NULL,
    mean_frequency     double precision NOT NULL,
    mean_monetary      numeric(16, 4) NOT NULL,
    method             text NOT NULL,            -- e.g. 'kmeans++ on log1p+z RFM'
    k                  smallint NOT NULL,
    silhouette         real,
    as_of              timestamptz NOT NULL
);

-- One row per review: sentiment and the aspects the text mentions (polarity −1/0/+1, null = not mentioned).
CREATE TABLE review_insight (
    review_id        bigint PRIMARY KEY REFERENCES review ON DELETE CASCADE,
    product_id       bigint NOT NULL REFERENCES product ON DELETE CASCADE,
    sentiment_label  text NOT NULL CHECK (sentiment_label IN ('negative', 'neutral', 'positive')),
    sentiment_score  real NOT NULL CHECK (sentiment_score BETWEEN -1 AND 1),
    sentiment_source text NOT NULL CHECK (sentiment_source IN ('classifier', 'vader')),
    vader_compound   real NOT NULL CHECK (vader_compound BETWEEN -1 AND 1),
    size_fit         text NOT NULL CHECK (size_fit IN ('small', 'large', 'true', 'none')),
    quality          smallint CHECK (quality BETWEEN -1 AND 1),
    fabric           smallint CHECK (fabric BETWEEN -1 AND 1),
    colour           smallint CHECK (colour BETWEEN -1 AND 1),
    comfort          smallint CHECK (comfort BETWEEN -1 AND 1),
    price            smallint CHECK (price BETWEEN -1 AND 1),
    size_fit_polarity smallint CHECK (size_fit_polarity BETWEEN -1 AND 1),
    analysed_at      timestamptz NOT NULL
);
CREATE INDEX review_insight_product ON review_insight (product_id);

-- Per-product summary (advice needs a clear majority, decided by ProductAspectSummary in the service).
CREATE TABLE product_review_insight (
    product_id        bigint PRIMARY KEY REFERENCES product ON DELETE CASCADE,
    reviews           integer NOT NULL,
    average_rating    numeric(4, 2),
    runs_small        integer NOT NULL,
    runs_large        integer NOT NULL,
    true_to_size      integer NOT NULL,
    share_small       real,                  -- of the reviews that remark on size; null if none do
    share_large       real,
    share_true        real,
    consensus         text NOT NULL CHECK (consensus IN ('small', 'large', 'true', 'none')),
    advice            text,
    aspects           jsonb NOT NULL,        -- [{"aspect": "quality", "positive": n, "negative": n, "mentions": n}, ...]
    positive_reviews  integer NOT NULL,
    negative_reviews  integer NOT NULL,
    analysed_at       timestamptz NOT NULL
);
