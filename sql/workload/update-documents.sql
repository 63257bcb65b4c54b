-- The dms shape's second step: the document update as DMS's UpdateDocumentEdfiDoc writes it — the whole
-- body, its security elements, the modification time and trace id — one row per parent document.
-- $1 bigint[] document ids, $2 smallint[] their partition keys, $3 text[] their new EdfiDoc (JSON),
-- $4 text[] their new SecurityElements (JSON): parallel; $5 text trace id.
UPDATE dms.Document d
SET EdfiDoc = p.EdfiDoc::jsonb,
    SecurityElements = p.SecurityElements::jsonb,
    LastModifiedAt = clock_timestamp(),
    LastModifiedTraceId = $5::varchar(128)
FROM unnest($1::bigint[], $2::smallint[], $3::text[], $4::text[]) AS p (Id, DocumentPartitionKey, EdfiDoc, SecurityElements)
WHERE d.DocumentPartitionKey = p.DocumentPartitionKey
  AND d.Id = p.Id
