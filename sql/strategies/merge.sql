-- Strategy "merge": dms.InsertReferences_Merge — differential, with the insert as an upsert.
-- Parameters (parallel arrays, one element per reference row):
--   parentDocumentIds bigint[], parentDocumentPartitionKeys smallint[],
--   referentialIds uuid[], referentialPartitionKeys smallint[]
-- Needs the unique constraint on (ParentDocumentId, ParentDocumentPartitionKey, ReferentialId,
-- ReferentialPartitionKey) that `refswarm load` adds when the dataset has no duplicate pairs; without
-- it a call fails with 42P10. When some referential id has no Alias it returns those ids (one row per
-- input element, as "current" does) and writes nothing. Otherwise, in one statement: deletes the
-- parents' rows no longer wanted, then inserts the wanted rows ON CONFLICT DO UPDATE of the Alias
-- target, only where it changed.
CREATE OR REPLACE FUNCTION dms.InsertReferences_Merge(
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
    removed AS (
        DELETE FROM dms.Reference r
        USING (SELECT DISTINCT parentId, parentKey FROM wanted) p
        WHERE r.ParentDocumentId = p.parentId
          AND r.ParentDocumentPartitionKey = p.parentKey
          AND NOT EXISTS (
              SELECT 1 FROM wanted w
              WHERE w.parentId = r.ParentDocumentId
                AND w.parentKey = r.ParentDocumentPartitionKey
                AND w.referentialId = r.ReferentialId
                AND w.referentialKey = r.ReferentialPartitionKey)
    )
    INSERT INTO dms.Reference AS r (
        ParentDocumentId,
        ParentDocumentPartitionKey,
        ReferentialId,
        ReferentialPartitionKey,
        ReferencedDocumentId,
        ReferencedDocumentPartitionKey
    )
    SELECT w.parentId, w.parentKey, w.referentialId, w.referentialKey, w.targetId, w.targetKey
    FROM wanted w
    ON CONFLICT (ParentDocumentId, ParentDocumentPartitionKey, ReferentialId, ReferentialPartitionKey)
    DO UPDATE SET
        ReferencedDocumentId = EXCLUDED.ReferencedDocumentId,
        ReferencedDocumentPartitionKey = EXCLUDED.ReferencedDocumentPartitionKey
    WHERE (r.ReferencedDocumentId, r.ReferencedDocumentPartitionKey)
          IS DISTINCT FROM (EXCLUDED.ReferencedDocumentId, EXCLUDED.ReferencedDocumentPartitionKey);
    RETURN;
END;
$$;
