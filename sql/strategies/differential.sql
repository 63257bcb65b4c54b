-- Strategy "differential": dms.InsertReferences_Differential — write only what changed.
-- Parameters (parallel arrays, one element per reference row):
--   parentDocumentIds bigint[], parentDocumentPartitionKeys smallint[],
--   referentialIds uuid[], referentialPartitionKeys smallint[]
-- Stages the distinct new rows with their Alias target. When some referential id has no Alias it
-- returns those ids (one row per input element, as "current" does) and writes nothing. Otherwise, in
-- one statement: deletes the parents' rows no longer wanted (and surplus copies of a wanted row),
-- updates rows whose Alias target changed, inserts the wanted rows not present.
CREATE OR REPLACE FUNCTION dms.InsertReferences_Differential(
    parentDocumentIds bigint[],
    parentDocumentPartitionKeys smallint[],
    referentialIds uuid[],
    referentialPartitionKeys smallint[]
) RETURNS TABLE (ReferentialId uuid)
LANGUAGE plpgsql AS
$$
#variable_conflict use_column
BEGIN
    RETURN QUERY
        SELECT r.referentialId
        FROM unnest(referentialIds, referentialPartitionKeys) AS r (referentialId, referentialPartitionKey)
        WHERE NOT EXISTS (
            SELECT 1
            FROM dms.Alias a
            WHERE a.ReferentialId = r.referentialId
              AND a.ReferentialPartitionKey = r.referentialPartitionKey);
    IF FOUND THEN
        RETURN;
    END IF;

    WITH wanted AS MATERIALIZED (
        SELECT DISTINCT
            w.parentId, w.parentKey, w.referentialId, w.referentialKey,
            a.DocumentId AS targetId, a.DocumentPartitionKey AS targetKey
        FROM unnest(parentDocumentIds, parentDocumentPartitionKeys, referentialIds, referentialPartitionKeys)
            AS w (parentId, parentKey, referentialId, referentialKey)
        JOIN dms.Alias a
            ON a.ReferentialId = w.referentialId
           AND a.ReferentialPartitionKey = w.referentialKey
    ),
    existing AS MATERIALIZED (
        SELECT
            r.Id, r.ParentDocumentId, r.ParentDocumentPartitionKey, r.ReferentialId, r.ReferentialPartitionKey,
            r.ReferencedDocumentId, r.ReferencedDocumentPartitionKey,
            row_number() OVER (
                PARTITION BY r.ParentDocumentId, r.ParentDocumentPartitionKey, r.ReferentialId, r.ReferentialPartitionKey
                ORDER BY r.Id) AS copy
        FROM dms.Reference r
        JOIN (SELECT DISTINCT parentId, parentKey FROM wanted) p
            ON r.ParentDocumentId = p.parentId
           AND r.ParentDocumentPartitionKey = p.parentKey
    ),
    kept AS (
        SELECT e.*, w.targetId, w.targetKey
        FROM existing e
        JOIN wanted w
            ON w.parentId = e.ParentDocumentId
           AND w.parentKey = e.ParentDocumentPartitionKey
           AND w.referentialId = e.ReferentialId
           AND w.referentialKey = e.ReferentialPartitionKey
        WHERE e.copy = 1
    ),
    removed AS (
        DELETE FROM dms.Reference r
        USING existing e
        WHERE r.ParentDocumentPartitionKey = e.ParentDocumentPartitionKey
          AND r.Id = e.Id
          AND NOT EXISTS (
              SELECT 1 FROM kept k
              WHERE k.ParentDocumentPartitionKey = e.ParentDocumentPartitionKey AND k.Id = e.Id)
    ),
    retargeted AS (
        UPDATE dms.Reference r
        SET ReferencedDocumentId = k.targetId,
            ReferencedDocumentPartitionKey = k.targetKey
        FROM kept k
        WHERE r.ParentDocumentPartitionKey = k.ParentDocumentPartitionKey
          AND r.Id = k.Id
          AND (k.ReferencedDocumentId, k.ReferencedDocumentPartitionKey)
              IS DISTINCT FROM (k.targetId, k.targetKey)
    )
    INSERT INTO dms.Reference (
        ParentDocumentId,
        ParentDocumentPartitionKey,
        ReferentialId,
        ReferentialPartitionKey,
        ReferencedDocumentId,
        ReferencedDocumentPartitionKey
    )
    SELECT w.parentId, w.parentKey, w.referentialId, w.referentialKey, w.targetId, w.targetKey
    FROM wanted w
    WHERE NOT EXISTS (
        SELECT 1 FROM kept k
        WHERE k.ParentDocumentId = w.parentId
          AND k.ParentDocumentPartitionKey = w.parentKey
          AND k.ReferentialId = w.referentialId
          AND k.ReferentialPartitionKey = w.referentialKey);
    RETURN;
END;
$$;
