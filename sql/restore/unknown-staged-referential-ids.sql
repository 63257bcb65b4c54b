-- The staged referential ids that have no Alias: the database does not hold the dataset restore
-- was asked for. No parameters.
SELECT DISTINCT s.ReferentialId::text AS referential_id
FROM pg_temp.restore_staging s
WHERE NOT EXISTS (
    SELECT 1
    FROM dms.Alias a
    WHERE a.ReferentialId = s.ReferentialId
      AND a.ReferentialPartitionKey = s.ReferentialPartitionKey)
ORDER BY 1
