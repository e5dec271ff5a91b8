-- Model artifacts in chunks: one bytea value is limited to 1 GB, and a recommender fitted on a large store's history
-- (every purchase, ALS factors per customer, neighbour lists per article) can come close. Each version's artifact is now
-- the concatenation of its chunks in seq order; writers and readers stream them, so neither side holds a whole copy
-- in one buffer. The size and SHA-256 of the whole artifact stay on the version.

CREATE TABLE model_artifact_chunk (
    model_name text NOT NULL,
    version    integer NOT NULL,
    seq        integer NOT NULL CHECK (seq >= 0),
    bytes      bytea NOT NULL CHECK (octet_length(bytes) > 0),
    PRIMARY KEY (model_name, version, seq),
    FOREIGN KEY (model_name, version) REFERENCES model_version ON DELETE CASCADE
);

ALTER TABLE model_version ADD COLUMN artifact_bytes bigint;
UPDATE model_version SET artifact_bytes = octet_length(artifact);
-- Existing artifacts (all below the limit) become one chunk each; an empty artifact has no chunk.
INSERT INTO model_artifact_chunk (model_name, version, seq, bytes)
SELECT model_name, version, 0, artifact FROM model_version WHERE octet_length(artifact) > 0;
ALTER TABLE model_version DROP COLUMN artifact;
ALTER TABLE model_version ALTER COLUMN artifact_bytes SET NOT NULL;
ALTER TABLE model_version ADD CHECK (artifact_bytes >= 0);
