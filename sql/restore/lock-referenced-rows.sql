-- The three foreign keys of Reference checked set-wise for the staged rows, taking the lock their
-- row triggers would take (FOR KEY SHARE): the Alias row of each staged referential id
-- (FK_Reference_ReferencedAlias), and the Document rows of the staged parents
-- (FK_Reference_ParentDocument) and of those aliases' documents (FK_Reference_ReferencedDocument).
-- Returns how many of each are missing; both 0 means the INSERT cannot violate a foreign key.
-- --schema alias-id has no FK_Reference_ReferencedDocument: those documents are locked all the same.
-- No parameters.
WITH aliases AS (
    SELECT a.DocumentId, a.DocumentPartitionKey
    FROM dms.Alias a
    WHERE (a.ReferentialPartitionKey, a.ReferentialId) IN (
        SELECT s.ReferentialPartitionKey, s.ReferentialId FROM pg_temp.restore_staging s)
    FOR KEY SHARE
), wanted AS (
    SELECT s.ParentDocumentPartitionKey AS DocumentPartitionKey, s.ParentDocumentId AS DocumentId FROM pg_temp.restore_staging s
    UNION
    SELECT a.DocumentPartitionKey, a.DocumentId FROM aliases a
), documents AS (
    SELECT d.Id
    FROM dms.Document d
    WHERE (d.DocumentPartitionKey, d.Id) IN (SELECT w.DocumentPartitionKey, w.DocumentId FROM wanted w)
    FOR KEY SHARE
)
SELECT
    (SELECT count(*) FROM (SELECT DISTINCT s.ReferentialPartitionKey, s.ReferentialId FROM pg_temp.restore_staging s) r)
        - (SELECT count(*) FROM aliases) AS missing_aliases,
    (SELECT count(*) FROM wanted) - (SELECT count(*) FROM documents) AS missing_documents
