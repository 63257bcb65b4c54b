-- Strategy "current": dms.InsertReferences as the Data Management Service has it (DELETE-then-INSERT).
-- Parameters (parallel arrays, one element per reference row):
--   parentDocumentIds bigint[], parentDocumentPartitionKeys smallint[],
--   referentialIds uuid[], referentialPartitionKeys smallint[]
-- Deletes every reference row of the given parents, then inserts the new rows with the referenced
-- document resolved through a LEFT JOIN to Alias. An unknown referential id violates
-- FK_Reference_ReferencedAlias; the exception block then undoes the delete and the insert (nothing is
-- written) and the function returns the referential ids that have no Alias, one row per input element.
CREATE OR REPLACE FUNCTION dms.InsertReferences(
    parentDocumentIds bigint[],
    parentDocumentPartitionKeys smallint[],
    referentialIds uuid[],
    referentialPartitionKeys smallint[]
) RETURNS TABLE (ReferentialId uuid)
LANGUAGE plpgsql AS
$$
#variable_conflict use_column
DECLARE
    constraintErrorName text;
BEGIN
    DELETE FROM dms.Reference r
    USING unnest(parentDocumentIds, parentDocumentPartitionKeys) AS d (Id, DocumentPartitionKey)
    WHERE r.ParentDocumentId = d.Id
      AND r.ParentDocumentPartitionKey = d.DocumentPartitionKey;

    INSERT INTO dms.Reference (
        ParentDocumentId,
        ParentDocumentPartitionKey,
        ReferentialId,
        ReferentialPartitionKey,
        ReferencedDocumentId,
        ReferencedDocumentPartitionKey
    )
    SELECT
        ids.documentId,
        ids.documentPartitionKey,
        ids.referentialId,
        ids.referentialPartitionKey,
        a.DocumentId,
        a.DocumentPartitionKey
    FROM unnest(parentDocumentIds, parentDocumentPartitionKeys, referentialIds, referentialPartitionKeys)
        AS ids (documentId, documentPartitionKey, referentialId, referentialPartitionKey)
    LEFT JOIN dms.Alias a
        ON a.ReferentialId = ids.referentialId
       AND a.ReferentialPartitionKey = ids.referentialPartitionKey;
    RETURN;

EXCEPTION
    WHEN foreign_key_violation THEN
        GET STACKED DIAGNOSTICS constraintErrorName = CONSTRAINT_NAME;
        IF constraintErrorName = 'fk_reference_referencedalias' THEN
            RETURN QUERY
                SELECT r.referentialId
                FROM unnest(referentialIds, referentialPartitionKeys) AS r (referentialId, referentialPartitionKey)
                WHERE NOT EXISTS (
                    SELECT 1
                    FROM dms.Alias a
                    WHERE a.ReferentialId = r.referentialId
                      AND a.ReferentialPartitionKey = r.referentialPartitionKey);
        ELSE
            RAISE;
        END IF;
END;
$$;
