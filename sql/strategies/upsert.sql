-- Strategy "upsert" (--schema alias-id): dms.InsertReferences as DMS-867 changed it (DMS commit
-- 2e6561ce7, 0010_Create_Insert_References_Procedure.sql), with its signature and parameter names so
-- scripts written for DMS call it unchanged. The statements are DMS's, in DMS's order (their plans
-- are what refswarm measures); the text is written here.
-- Parameters: one parent per call.
--   p_parentDocumentId bigint, p_parentDocumentPartitionKey smallint,
--   p_referentialIds uuid[], p_referentialPartitionKeys smallint[] (parallel; distinct ids: the
--   caller removes duplicates, as the DMS service does),
--   p_isPureInsert boolean (default false: the parent may already hold references).
-- Returns one row: success, and the referential ids that have no Alias (then nothing is written).
-- The ids are staged, resolved through Alias, in a session-private temporary table created on first
-- use. Unless p_isPureInsert, a staged set equal to the stored one writes nothing; otherwise an
-- INSERT ... ON CONFLICT on UX_Reference_Parent_Alias adds new rows and retargets changed ones, and
-- (unless p_isPureInsert) a DELETE on the parent's own partition removes the rows no longer wanted.
-- Partition names are reference_NN (two digits): setup refuses --schema alias-id above 100 partitions.
CREATE OR REPLACE FUNCTION dms.InsertReferences(
    p_parentDocumentId bigint,
    p_parentDocumentPartitionKey smallint,
    p_referentialIds uuid[],
    p_referentialPartitionKeys smallint[],
    p_isPureInsert boolean DEFAULT false
) RETURNS TABLE (success boolean, invalid_ids uuid[])
LANGUAGE plpgsql AS
$$
DECLARE
    parent_partition text := 'reference_' || lpad(p_parentDocumentPartitionKey::text, 2, '0');
    must_write boolean := true;
    staged_differs boolean := false;
    stored_differs boolean := false;
BEGIN
    IF to_regclass('pg_temp.reference_stage') IS NULL THEN
        EXECUTE 'CREATE TEMPORARY TABLE reference_stage (
                     parentdocumentid bigint NOT NULL,
                     parentdocumentpartitionkey smallint NOT NULL,
                     referentialpartitionkey smallint NOT NULL,
                     referentialid uuid NOT NULL,
                     aliasid bigint,
                     referenceddocumentid bigint,
                     referenceddocumentpartitionkey smallint,
                     PRIMARY KEY (referentialpartitionkey, referentialid)
                 ) ON COMMIT DELETE ROWS';
        EXECUTE 'CREATE INDEX reference_stage_alias_idx ON reference_stage (aliasid)';
        EXECUTE 'CREATE INDEX reference_stage_parent_idx ON reference_stage (parentdocumentpartitionkey, parentdocumentid)';
    END IF;

    -- Several calls may share one transaction: each stages only its own parent.
    DELETE FROM reference_stage;

    WITH resolved AS (
        SELECT
            p_parentDocumentId AS parentdocumentid,
            p_parentDocumentPartitionKey AS parentdocumentpartitionkey,
            given.referentialPartitionKey,
            given.referentialId,
            a.Id AS aliasid,
            a.DocumentId AS referenceddocumentid,
            a.DocumentPartitionKey AS referenceddocumentpartitionkey
        FROM unnest(p_referentialIds, p_referentialPartitionKeys) AS given (referentialId, referentialPartitionKey)
        LEFT JOIN dms.Alias a
            ON a.ReferentialId = given.referentialId
           AND a.ReferentialPartitionKey = given.referentialPartitionKey
    )
    INSERT INTO reference_stage (
        parentdocumentid, parentdocumentpartitionkey, referentialpartitionkey, referentialid,
        aliasid, referenceddocumentid, referenceddocumentpartitionkey
    )
    SELECT
        parentdocumentid, parentdocumentpartitionkey, referentialpartitionkey, referentialid,
        aliasid, referenceddocumentid, referenceddocumentpartitionkey
    FROM resolved;

    SELECT coalesce(array_agg(DISTINCT s.referentialid), ARRAY[]::uuid[])
    INTO invalid_ids
    FROM reference_stage s
    WHERE s.parentdocumentid = p_parentDocumentId
      AND s.parentdocumentpartitionkey = p_parentDocumentPartitionKey
      AND s.aliasid IS NULL;

    IF cardinality(invalid_ids) = 0 THEN
        IF NOT p_isPureInsert THEN
            -- A staged row the parent's partition lacks, or holds with another target?
            EXECUTE format(
                $q$
                SELECT EXISTS (
                    SELECT 1
                    FROM reference_stage s
                    LEFT JOIN dms.%I r
                        ON r.ParentDocumentPartitionKey = s.parentdocumentpartitionkey
                       AND r.ParentDocumentId = s.parentdocumentid
                       AND r.AliasId = s.aliasid
                    WHERE s.aliasid IS NOT NULL
                      AND (r.AliasId IS NULL
                           OR r.ReferentialPartitionKey IS DISTINCT FROM s.referentialpartitionkey
                           OR r.ReferencedDocumentId IS DISTINCT FROM s.referenceddocumentid
                           OR r.ReferencedDocumentPartitionKey IS DISTINCT FROM s.referenceddocumentpartitionkey))
                $q$,
                parent_partition)
            INTO staged_differs;

            IF NOT staged_differs THEN
                -- A stored row of the parent that is not staged?
                EXECUTE format(
                    $q$
                    SELECT EXISTS (
                        SELECT 1
                        FROM dms.%I r
                        WHERE r.ParentDocumentPartitionKey = $2
                          AND r.ParentDocumentId = $1
                          AND NOT EXISTS (
                              SELECT 1
                              FROM reference_stage s
                              WHERE s.parentdocumentpartitionkey = r.ParentDocumentPartitionKey
                                AND s.parentdocumentid = r.ParentDocumentId
                                AND s.aliasid = r.AliasId
                                AND s.referentialpartitionkey = r.ReferentialPartitionKey
                                AND s.referenceddocumentid = r.ReferencedDocumentId
                                AND s.referenceddocumentpartitionkey = r.ReferencedDocumentPartitionKey))
                    $q$,
                    parent_partition)
                INTO stored_differs
                USING p_parentDocumentId, p_parentDocumentPartitionKey;

                must_write := stored_differs;
            END IF;
        END IF;

        IF must_write THEN
            INSERT INTO dms.Reference AS target (
                ParentDocumentId, ParentDocumentPartitionKey, AliasId, ReferentialPartitionKey,
                ReferencedDocumentId, ReferencedDocumentPartitionKey
            )
            SELECT
                s.parentdocumentid, s.parentdocumentpartitionkey, s.aliasid, s.referentialpartitionkey,
                s.referenceddocumentid, s.referenceddocumentpartitionkey
            FROM reference_stage s
            WHERE s.aliasid IS NOT NULL
            ON CONFLICT ON CONSTRAINT ux_reference_parent_alias
            DO UPDATE SET
                ReferentialPartitionKey = EXCLUDED.ReferentialPartitionKey,
                ReferencedDocumentId = EXCLUDED.ReferencedDocumentId,
                ReferencedDocumentPartitionKey = EXCLUDED.ReferencedDocumentPartitionKey
            WHERE (target.ReferentialPartitionKey, target.ReferencedDocumentId, target.ReferencedDocumentPartitionKey)
                  IS DISTINCT FROM
                  (EXCLUDED.ReferentialPartitionKey, EXCLUDED.ReferencedDocumentId, EXCLUDED.ReferencedDocumentPartitionKey);

            IF NOT p_isPureInsert THEN
                -- On the partition itself, not dms.Reference: no scan of the other partitions' indexes.
                EXECUTE format(
                    $q$
                    DELETE FROM %I.%I AS r
                    WHERE r.ParentDocumentPartitionKey = $2
                      AND r.ParentDocumentId = $1
                      AND NOT EXISTS (
                          SELECT 1
                          FROM reference_stage s
                          WHERE s.parentdocumentpartitionkey = $2
                            AND s.parentdocumentid = $1
                            AND s.aliasid = r.AliasId
                            AND s.referentialpartitionkey = r.ReferentialPartitionKey
                            AND s.referenceddocumentid = r.ReferencedDocumentId
                            AND s.referenceddocumentpartitionkey = r.ReferencedDocumentPartitionKey)
                    $q$,
                    'dms', parent_partition)
                USING p_parentDocumentId, p_parentDocumentPartitionKey;
            END IF;
        END IF;
    END IF;

    RETURN QUERY SELECT cardinality(invalid_ids) = 0, invalid_ids;
END;
$$;
